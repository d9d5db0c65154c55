"""How graphql-core executes Rungs' operations: the fields that only copy a stored value are
answered without the full machinery of a field.

A page asks most of its fields of plain stored values (a problem's title, status, dates and
counts; an area's name). graphql-core resolves every field alike: a path, a resolve-info
object, the resolver, an awaitable check and the completion of the value, several
microseconds each, for some 400 fields a board page. A field strawberry resolves by reading
an attribute (a "basic" field: no resolver, no extension, no arguments) of a scalar or enum
type is read and serialised here directly, with the same result; anything out of the ordinary
(a null where the type forbids one, a value the type refuses, an attribute missing) goes the
usual way, so that its error is the one graphql-core gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info

from graphql import (
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)


@dataclass(frozen=True, slots=True)
class StoredLeaf:
    """A field that copies an attribute of a scalar or enum type."""

    attribute: str
    serialise: Callable[[Any], Any]
    required: bool

    def value_of(self, source: Any) -> Any:
        """The field's answer, or Undefined where the usual way must give it (or its error)."""
        try:
            value = getattr(source, self.attribute)
        except Exception:
            return Undefined
        if value is None:
            return Undefined if self.required else None
        try:
            answer = self.serialise(value)
        except Exception:
            return Undefined
        return Undefined if answer is None else answer


# Keyed by the schema itself (not its id, which a later schema could reuse): a process holds
# one or two, and a test the few it builds.
_stored_leaves: dict[tuple[GraphQLSchema, str, str], StoredLeaf | None] = {}


def stored_leaf(schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> StoredLeaf | None:
    """The field as a stored leaf, or None where it must be resolved the usual way."""
    key = (schema, parent_type.name, name)
    try:
        return _stored_leaves[key]
    except KeyError:
        found = _stored_leaves[key] = _as_stored_leaf(schema, parent_type, name)
        return found


def _as_stored_leaf(schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> StoredLeaf | None:
    field_def = schema.get_field(parent_type, name)
    if field_def is None or field_def.args or field_def.extensions is None:
        return None
    field = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    # Only a field strawberry itself would answer with getattr and no Info.
    if field is None or not field.is_basic_field or field.default_resolver is not getattr:
        return None
    required = is_non_null_type(field_def.type)
    named = get_nullable_type(field_def.type)
    if not is_leaf_type(named):
        return None
    serialise = named.coerce_output_value
    return StoredLeaf(attribute=field.python_name, serialise=serialise, required=required)


class RungsExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with stored leaves answered directly (see the module), and,
    outside development, errors about variables that name no alternatives."""

    suggest_names = True

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        return super().build(*args, **{**kwargs, "hide_suggestions": not cls.suggest_names})

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        # graphql-core 3.3's Executor.execute_fields, with the stored-leaf branch added first.
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                leaf = stored_leaf(self.schema, parent_type, field_details_list[0].node.name.value)
                if leaf is not None:
                    answer = leaf.value_of(source_value)
                    if answer is not Undefined:
                        results[response_name] = answer
                        continue
                field_path = Path(path, response_name, parent_type.name)
                result = self.execute_field(
                    parent_type, source_value, field_details_list, field_path, position_context
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gathered(results, awaitable_fields)

    async def _gathered(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
        else:
            awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results


class RungsExecutionWithoutSuggestions(RungsExecution):
    suggest_names = False


def lean_resolvers(schema: GraphQLSchema, info_class: type[Info]) -> int:
    """Gives graphql-core the resolvers themselves, for the fields whose resolver takes no
    arguments but the object (`self`) and `info`; the number of fields it gave.

    strawberry wraps every resolver in layers that sort arguments, run field extensions and
    handle exceptions by type: some twenty calls a field, and a second coroutine for an async
    one. A field with no arguments, no extensions and no exception handlers needs none of it:
    its resolver is called as strawberry would call it, with the same `Info`."""
    given = 0
    for named_type in schema.type_map.values():
        if not isinstance(named_type, GraphQLObjectType) or named_type.name.startswith("__"):
            continue
        for field_def in named_type.fields.values():
            lean = _lean_resolver(field_def, info_class)
            if lean is not None:
                field_def.resolve = lean
                given += 1
    return given


def _lean_resolver(field_def: GraphQLField, info_class: type[Info]) -> GraphQLFieldResolver | None:
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolver = field.base_resolver if field is not None else None
    if field is None or resolver is None or field.extensions or field_def.args or resolver.arguments:
        return None
    names = list(resolver.signature.parameters)
    call = resolver.wrapped_func
    if names == ["self"]:
        return lambda source, info: call(source)
    if names == ["self", "info"] and resolver.info_parameter is not None:
        return lambda source, info: call(source, info_class(_raw_info=info, _field=field))
    return None
