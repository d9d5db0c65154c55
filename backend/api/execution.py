"""How graphql-core executes Rungs' operations: the fields that only copy a stored value are
answered without the full machinery of a field, and the other common fields with less of it.

A page asks most of its fields of plain stored values (a problem's title, status, dates and
counts; an area's name). graphql-core resolves every field alike: a path, a resolve-info
object, the resolver, an awaitable check and the completion of the value, several
microseconds each, for some 400 fields a board page. A field strawberry resolves by reading
an attribute (a "basic" field: no resolver, no extension, no arguments) of a scalar or enum
type is read and serialised here directly, with the same result; anything out of the ordinary
(a null where the type forbids one, a value the type refuses, an attribute missing) goes the
usual way, so that its error is the one graphql-core gives.

The other fields without arguments whose value is a scalar, an enum or an object, read from an
attribute or from a resolver given to graphql-core directly (`lean_resolvers`), are "direct
fields": graphql-core's execute_field and complete_value are restated for them alone, with the
field's facts looked up once per schema instead of at every field, and no resolve-info made
where the resolver does not take one. Lists, interfaces, unions, awaited values, nulls and
refused values go graphql-core's own way, errors included."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from graphql import (
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)

T = TypeVar("T")


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


FieldLookup = Callable[[GraphQLSchema, GraphQLObjectType, str], T]


def _per_field(make: FieldLookup[T]) -> FieldLookup[T]:
    """`make(schema, type, field name)`, remembered for each; keyed by the schema itself (not
    its id, which a later schema could reuse): a process holds one or two, a test a few."""
    remembered: dict[tuple[GraphQLSchema, str, str], T] = {}

    def lookup(schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> T:
        key = (schema, parent_type.name, name)
        try:
            return remembered[key]
        except KeyError:
            found = remembered[key] = make(schema, parent_type, name)
            return found

    return lookup


def _without_arguments(
    schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str
) -> tuple[GraphQLField, StrawberryField] | None:
    """The field's definition and strawberry's field, if it takes no arguments."""
    field_def = schema.get_field(parent_type, name)
    if field_def is None or field_def.args or field_def.extensions is None:
        return None
    field = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return None if field is None else (field_def, field)


def _as_stored_leaf(schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> StoredLeaf | None:
    found = _without_arguments(schema, parent_type, name)
    if found is None:
        return None
    field_def, field = found
    # Only a field strawberry itself would answer with getattr and no Info.
    if not field.is_basic_field or field.default_resolver is not getattr:
        return None
    required = is_non_null_type(field_def.type)
    named = get_nullable_type(field_def.type)
    if not is_leaf_type(named):
        return None
    serialise = named.coerce_output_value
    return StoredLeaf(attribute=field.python_name, serialise=serialise, required=required)


# The field as a stored leaf, or None where it must be resolved the usual way.
stored_leaf = _per_field(_as_stored_leaf)


# The key in a field definition's extensions under which `lean_resolvers` records whether the
# resolver it gave takes `info`.
LEAN_TAKES_INFO = "rungs.lean_takes_info"


@dataclass(frozen=True, slots=True)
class DirectField:
    """A field without arguments whose value is a scalar, an enum or an object, read from an
    attribute or a lean resolver (see the module)."""

    definition: GraphQLField
    read: Callable[[Any, GraphQLResolveInfo[Any] | None], Any]
    takes_info: bool
    # For a scalar or enum: how its value is serialised; for an object: its type.
    serialise: Callable[[Any], Any] | None
    object_type: GraphQLObjectType | None


def _as_direct_field(schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> DirectField | None:
    found = _without_arguments(schema, parent_type, name)
    if found is None:
        return None
    field_def, field = found
    if field.extensions:
        return None
    takes_info = (field_def.extensions or {}).get(LEAN_TAKES_INFO)
    if takes_info is not None and field_def.resolve is not None:
        read: Callable[[Any, GraphQLResolveInfo[Any] | None], Any] = field_def.resolve
    elif field.is_basic_field and field.default_resolver is getattr:
        attribute = field.python_name
        read, takes_info = (lambda source, info: getattr(source, attribute)), False
    else:
        return None
    named = get_nullable_type(field_def.type)
    if is_leaf_type(named):
        return DirectField(field_def, read, takes_info, named.coerce_output_value, None)
    if isinstance(named, GraphQLObjectType) and _type_check_ignores_info(named):
        return DirectField(field_def, read, takes_info, None, named)
    return None


direct_field = _per_field(_as_direct_field)


def _type_check_ignores_info(object_type: GraphQLObjectType) -> bool:
    """Whether the type's `is_type_of` may be asked without a resolve-info: none, or the one
    strawberry makes, which reads only the value."""
    check = object_type.is_type_of
    return check is None or check.__qualname__.endswith("_get_is_type_of.<locals>.is_type_of")


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
        # graphql-core 3.3's Executor.execute_fields, with `__typename`, stored leaves and
        # direct fields answered first.
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        # Strawberry hands over a middleware manager on every request, holding none unless a
        # schema extension resolves fields.
        manager = self.middleware_manager
        direct = manager is None or not manager.middlewares
        try:
            for response_name, field_details_list in grouped_field_set.items():
                name = field_details_list[0].node.name.value
                if name == "__typename":
                    # What graphql-core's own resolver answers, and it can fail in no way.
                    results[response_name] = parent_type.name
                    continue
                leaf = stored_leaf(self.schema, parent_type, name)
                if leaf is not None:
                    answer = leaf.value_of(source_value)
                    if answer is not Undefined:
                        results[response_name] = answer
                        continue
                field_path = Path(path, response_name, parent_type.name)
                plan = direct_field(self.schema, parent_type, name) if direct else None
                if plan is not None:
                    result = self.execute_direct_field(
                        plan, parent_type, source_value, field_details_list, field_path, position_context
                    )
                else:
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

    def execute_direct_field(
        self,
        plan: DirectField,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        # graphql-core 3.3's Executor.execute_field and complete_value, for a direct field.
        return_type = plan.definition.type
        info = (
            self.build_resolve_info(plan.definition, to_nodes(field_details_list), parent_type, path)
            if plan.takes_info
            else None
        )
        try:
            value = plan.read(source, info)
            if value is not None and not isinstance(value, Exception) and not self.is_awaitable(value):
                if plan.serialise is not None:
                    answer = plan.serialise(value)
                    if answer is not None and answer is not Undefined:
                        return answer
                else:
                    object_type = plan.object_type
                    assert object_type is not None
                    # The check reads the value alone (`_type_check_ignores_info`).
                    if object_type.is_type_of is None or object_type.is_type_of(value, info):  # type: ignore[arg-type]
                        grouped_field_set, defer_usages, _ = self.collect_subfields(
                            object_type, field_details_list
                        )
                        if not defer_usages:
                            completed = self.execute_fields(object_type, value, path, grouped_field_set, None)
                            if self.is_awaitable(completed):
                                return self._completed_later(completed, return_type, field_details_list, path)
                            return completed
            # Anything else, graphql-core's own way (and its own error).
            if info is None:
                info = self.build_resolve_info(
                    plan.definition, to_nodes(field_details_list), parent_type, path
                )
            if self.is_awaitable(value):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, path, value, position_context
                )
            completed = self.complete_value(
                return_type, field_details_list, info, path, value, position_context
            )
            if self.is_awaitable(completed):
                return self._completed_later(completed, return_type, field_details_list, path)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    async def _completed_later(
        self, completed: Any, return_type: GraphQLOutputType, field_details_list: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

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
                field_def.resolve, takes_info = lean
                if field_def.extensions is not None:
                    field_def.extensions[LEAN_TAKES_INFO] = takes_info
                given += 1
    return given


def _lean_resolver(
    field_def: GraphQLField, info_class: type[Info]
) -> tuple[GraphQLFieldResolver, bool] | None:
    """The resolver, and whether it takes `info`."""
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolver = field.base_resolver if field is not None else None
    if field is None or resolver is None or field.extensions or field_def.args or resolver.arguments:
        return None
    names = list(resolver.signature.parameters)
    call = resolver.wrapped_func
    if names == ["self"]:
        return (lambda source, info: call(source)), False
    if names == ["self", "info"] and resolver.info_parameter is not None:
        return (lambda source, info: call(source, info_class(_raw_info=info, _field=field))), True
    return None
