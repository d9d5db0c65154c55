"""What a GraphQL operation costs, worked out from the document before it runs.

Every field asked for costs one for each item it is asked of, and the items multiply down
through lists: the edges of a connection count as many as the page asked for (its `first`,
with the variables applied, or the default page size), a list that is not paged as
`UNPAGED_LIST_SIZE`. Fields that do far more work than reading a row cost more: see
`COSTLY_FIELDS`. So `problems(first: 100) { edges { node { area { name } } } }` costs
2 + 100 x 3 (the connection and its edges, then each node, its area and the name), and
asking for each area's accountability there adds 100 x 1,000 more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from backend.api.documents import KnownDocument
from backend.api.pagination import DEFAULT_PAGE, MAX_PAGE
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)

# The most an operation may cost: many times what the web interface's largest page costs.
MAX_COST = 50_000
# What a list without paging (an area's children, a problem's responses) is taken to hold.
UNPAGED_LIST_SIZE = 10
# Fields costing many rows' worth each: accountability figures are several aggregate queries
# over every proposal of an area (or organisation), a good part of a second on a large force.
COSTLY_FIELDS: Mapping[tuple[str, str], int] = {
    ("Area", "accountability"): 1_000,
    # The ladder reads every act of the last 12 months in the area; its history, the daily
    # snapshots' rows of two days (or a year's month ends).
    ("Area", "ladder"): 1_000,
    ("Area", "ladderMovement"): 1_000,
    ("Area", "ladderHistory"): 1_000,
    ("Organisation", "accountability"): 1_000,
}

# Distinct (document, operation, page sizes) whose cost is remembered, across all requests.
CACHED_COSTS = 1024

Parent = GraphQLObjectType | GraphQLInterfaceType


def remembered_cost(
    schema: GraphQLSchema,
    document: KnownDocument,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """`operation_cost`, worked out once for each document, operation and set of page sizes:
    of the variables, only those passed as `first` can change the cost."""
    given = variables or {}
    pages = tuple((name, _as_page(given[name])) for name in _page_variables(document) if name in given)
    return priced(schema, document, operation_name, pages)


def _as_page(value: Any) -> int | None:
    """A page-size variable as the pricing reads it: an integer, or anything else alike."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@lru_cache(maxsize=CACHED_COSTS)
def _page_variables(document: KnownDocument) -> tuple[str, ...]:
    """The variables the document passes as a `first` argument anywhere."""
    names: set[str] = set()
    for definition in document.node.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            _collect_page_variables(definition.selection_set, names)
    return tuple(sorted(names))


def _collect_page_variables(selection_set: SelectionSetNode, names: set[str]) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            for argument in selection.arguments or ():
                if argument.name.value == "first" and isinstance(argument.value, VariableNode):
                    names.add(argument.value.name.value)
        if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
            _collect_page_variables(selection.selection_set, names)


@lru_cache(maxsize=CACHED_COSTS)
def priced(
    schema: GraphQLSchema,
    document: KnownDocument,
    operation_name: str | None,
    pages: tuple[tuple[str, int | None], ...],
) -> int:
    return operation_cost(schema, document.node, operation_name=operation_name, variables=dict(pages))


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of the operation the request runs (a valid document is assumed)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next(
        (o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)),
        None,
    )
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return 0
    defaults = {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    pricing = _Pricing(
        schema=schema,
        fragments={d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)},
        variables={**defaults, **(variables or {})},
    )
    return pricing.selections(root, operation.selection_set, page=None)


@dataclass
class _Pricing:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    # A fragment's cost for one item, worked out once however often it is spread.
    spread_costs: dict[tuple[str, int | None], int] = field(default_factory=dict)

    def selections(self, parent: Parent, selection_set: SelectionSetNode, *, page: int | None) -> int:
        """The cost of a selection set for one item of `parent`; `page` is the page size
        when the item is a connection."""
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, page=page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                narrowed = self._type(condition.name.value) if condition else parent
                total += self.selections(narrowed or parent, selection.selection_set, page=page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value, page=page)
        return total

    def spread(self, name: str, *, page: int | None) -> int:
        key = (name, page)
        if key not in self.spread_costs:
            fragment = self.fragments[name]
            on = self._type(fragment.type_condition.name.value)
            self.spread_costs[key] = self.selections(on, fragment.selection_set, page=page) if on else 0
        return self.spread_costs[key]

    def field(self, parent: Parent, node: FieldNode, *, page: int | None) -> int:
        name = node.name.value
        definition = parent.fields.get(name)
        # Introspection is answered from memory, and its size is the schema's.
        if name.startswith("__") or definition is None:
            return 0
        cost = COSTLY_FIELDS.get((parent.name, name), 1)
        of_type = get_named_type(definition.type)
        if node.selection_set is None or not isinstance(of_type, GraphQLObjectType | GraphQLInterfaceType):
            return cost
        items = 1
        if is_list_type(get_nullable_type(definition.type)):
            items = page if name == "edges" and page is not None else UNPAGED_LIST_SIZE
        inner_page = self.page_size(node) if "first" in definition.args else None
        return cost + items * self.selections(of_type, node.selection_set, page=inner_page)

    def page_size(self, node: FieldNode) -> int:
        """The page a connection field asks for, as paging would bound it."""
        argument = next((a for a in node.arguments or () if a.name.value == "first"), None)
        asked: Any = None
        if argument is not None:
            if isinstance(argument.value, VariableNode):
                asked = self.variables.get(argument.value.name.value)
            elif isinstance(argument.value, IntValueNode):
                asked = int(argument.value.value)
        if not isinstance(asked, int) or isinstance(asked, bool):
            return DEFAULT_PAGE
        # A page beyond the bounds is refused when it runs, never served.
        return min(max(asked, 0), MAX_PAGE)

    def _type(self, name: str) -> Parent | None:
        named = self.schema.get_type(name)
        return named if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) else None
