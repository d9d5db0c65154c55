"""What a request asks for below a field: lets a list's resolver load ahead only what its
items' fields will be asked, so that loading ahead never costs a statement the page would not."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from backend.api.context import Info
from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionNode


def asked(info: Info, *path: str) -> frozenset[str]:
    """The names of the fields asked at `path` below the current field (GraphQL names, through
    fragments and aliases): `asked(info, "edges", "node")` on a connection names what is asked
    of each item. Directives are not looked at: a field left out by `@skip` still counts."""
    # graphql-core's own nodes: strawberry's `selected_fields` converts every argument of the
    # whole subtree on the way, which is more than this needs on the hot path of a page.
    fragments = info._raw_info.fragments
    nodes: list[FieldNode] = list(info._raw_info.field_nodes)
    for name in path:
        nodes = [field for field in _fields_below(nodes, fragments) if field.name.value == name]
    return frozenset(field.name.value for field in _fields_below(nodes, fragments))


def _fields_below(
    nodes: Iterable[FieldNode], fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    for node in nodes:
        if node.selection_set is not None:
            yield from _fields_of(node.selection_set.selections, fragments)


def _fields_of(
    selections: Iterable[SelectionNode], fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    for selection in selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields_of(selection.selection_set.selections, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            yield from _fields_of(fragments[selection.name.value].selection_set.selections, fragments)
