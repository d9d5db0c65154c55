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

The other fields without arguments whose value is a scalar, an enum, an object or a list of
them, read from an attribute or from a resolver given to graphql-core directly
(`lean_resolvers`), are "direct fields": graphql-core's execute_field and complete_value are
restated for them alone, with the field's facts looked up once per schema instead of at every
field, and no resolve-info made where the resolver does not take one. A list is completed
item by item the same way, and so is a value a resolver answers later (a DataLoader's), once
awaited. A null answers a field that may be null at once. Interfaces, unions, nulls where the
type forbids one, refused values and, in a list, null or awaited items go graphql-core's own
way, errors included.

What each field of a selection is (`FieldStep`) is looked up once per request, at the first
object asking it, not again for each item of a list; and a direct field's resolver that takes
`info` is given one Info for all the items (see `FieldStep.info`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
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
    GraphQLList,
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
# What a completed field or item is when it is not still to come: answered without asking
# whether it is awaitable, a call saved for each of the hundreds of fields of a page.
ANSWERED = frozenset({dict, list, str, int, float, bool, type(None)})
# Fields of an object by name, or items of a list by index.
Results = TypeVar("Results", dict[str, Any], list[Any])


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


# The key in a field definition's extensions under which `lean_resolvers` records the
# resolver it gave graphql-core (`LeanResolver`).
LEAN_RESOLVER = "rungs.lean_resolver"


@dataclass(frozen=True, slots=True)
class LeanResolver:
    """A field's own resolver, without strawberry's wrapping (see `lean_resolvers`): `call`
    takes the object, and the field's `Info` where `takes_info`, which `info_of` makes of
    graphql-core's resolve-info."""

    call: Callable[..., Any]
    takes_info: bool
    info_of: Callable[[GraphQLResolveInfo[Any]], Info]


@dataclass(frozen=True, slots=True)
class DirectField:
    """A field without arguments whose value is a scalar, an enum, an object or a list of them,
    read from an attribute or a lean resolver (see the module)."""

    definition: GraphQLField
    # The value, of the object alone, or of the object and the field's Info where `lean` takes it.
    read: Callable[..., Any]
    lean: LeanResolver | None
    # For a scalar or enum: how its value is serialised; for an object: its type.
    serialise: Callable[[Any], Any] | None
    object_type: GraphQLObjectType | None
    # For a list of objects: the objects' type, and the items' type as declared (non-null or not).
    items: GraphQLObjectType | None = None
    item_type: GraphQLOutputType | None = None
    # For a list of scalars or enums: how each is serialised.
    serialise_items: Callable[[Any], Any] | None = None
    # Whether the field may be null: a null answers it at once.
    nullable: bool = False


def _as_direct_field(schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> DirectField | None:
    found = _without_arguments(schema, parent_type, name)
    if found is None:
        return None
    field_def, field = found
    if field.extensions:
        return None
    lean: LeanResolver | None = (field_def.extensions or {}).get(LEAN_RESOLVER)
    if lean is not None:
        read = lean.call
    elif field.is_basic_field and field.default_resolver is getattr:
        read = attrgetter(field.python_name)
    else:
        return None
    named = get_nullable_type(field_def.type)
    nullable = not is_non_null_type(field_def.type)
    if is_leaf_type(named):
        return DirectField(field_def, read, lean, named.coerce_output_value, None, nullable=nullable)
    if isinstance(named, GraphQLObjectType) and _type_check_ignores_info(named):
        return DirectField(field_def, read, lean, None, named, nullable=nullable)
    if isinstance(named, GraphQLList):
        items = get_nullable_type(named.of_type)
        if isinstance(items, GraphQLObjectType) and _type_check_ignores_info(items):
            return DirectField(
                field_def, read, lean, None, None, items=items, item_type=named.of_type, nullable=nullable
            )
        if is_leaf_type(items):
            each = items.coerce_output_value
            return DirectField(field_def, read, lean, None, None, serialise_items=each, nullable=nullable)
    return None


direct_field = _per_field(_as_direct_field)


def _type_check_ignores_info(object_type: GraphQLObjectType) -> bool:
    """Whether the type's `is_type_of` may be asked without a resolve-info: none, or the one
    strawberry makes, which reads only the value."""
    check = object_type.is_type_of
    return check is None or check.__qualname__.endswith("_get_is_type_of.<locals>.is_type_of")


def _serialised(serialise: Callable[[Any], Any], items: list[Any]) -> list[Any] | None:
    """A list of scalars or enums as the response holds it; None where an item is null or
    refused, for graphql-core to answer (or refuse) its own way."""
    answers = []
    try:
        for item in items:
            answer = None if item is None else serialise(item)
            if answer is None or answer is Undefined:
                return None
            answers.append(answer)
    except Exception:
        return None
    return answers


@dataclass(slots=True)
class FieldStep:
    """One field of a selection, as the request answers it for every object the selection is
    asked of (each item of a list): what it is looked up once for the request, not per object."""

    response_name: str
    # graphql-core's details of the field's nodes (`FieldDetailsList`).
    details: Any
    is_typename: bool
    leaf: StoredLeaf | None
    direct: DirectField | None
    # No directive on the field itself: none to ask of a list (`@stream`).
    plain: bool
    # For a direct field of an object or a list of objects: the fields asked of each object,
    # as graphql-core collects them (`collect_subfields`), once collected.
    subfields: Any = None
    # The Info a direct field's resolver is given, made at the first object that asks it and
    # shared by the rest: everything in it is the same for each of them but `path`, which
    # names the first (a resolver that needs its own path must not be lean).
    info: Info | None = None


class RungsExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with stored leaves answered directly (see the module), and,
    outside development, errors about variables that name no alternatives."""

    suggest_names = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each selection's steps, by the identity of graphql-core's grouped field set, which is
        # kept with them so that the identity is not reused while the request runs, and by the
        # type of the objects it is asked of.
        self._steps: dict[tuple[int, str], tuple[Any, list[FieldStep]]] = {}

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        return super().build(*args, **{**kwargs, "hide_suggestions": not cls.suggest_names})

    def steps_of(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[FieldStep]:
        """The steps of a selection, looked up at its first object: graphql-core collects a
        selection's fields once per request (`collect_subfields`) and hands every object of a
        list the same grouped field set."""
        key = (id(grouped_field_set), parent_type.name)
        found = self._steps.get(key)
        if found is not None and found[0] is grouped_field_set:
            return found[1]
        # Strawberry hands over a middleware manager on every request, holding none unless a
        # schema extension resolves fields.
        manager = self.middleware_manager
        direct = manager is None or not manager.middlewares
        steps = []
        for response_name, details in grouped_field_set.items():
            name = details[0].node.name.value
            steps.append(
                FieldStep(
                    response_name,
                    details,
                    is_typename=name == "__typename",
                    leaf=stored_leaf(self.schema, parent_type, name),
                    direct=direct_field(self.schema, parent_type, name) if direct else None,
                    plain=not any(detail.node.directives for detail in details),
                )
            )
        self._steps[key] = (grouped_field_set, steps)
        return steps

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
        try:
            for step in self.steps_of(parent_type, grouped_field_set):
                response_name = step.response_name
                if step.is_typename:
                    # What graphql-core's own resolver answers, and it can fail in no way.
                    results[response_name] = parent_type.name
                    continue
                leaf = step.leaf
                if leaf is not None:
                    answer = leaf.value_of(source_value)
                    if answer is not Undefined:
                        results[response_name] = answer
                        continue
                field_path = Path(path, response_name, parent_type.name)
                if step.direct is not None:
                    result = self.execute_direct_field(
                        step, parent_type, source_value, field_path, position_context
                    )
                else:
                    result = self.execute_field(
                        parent_type, source_value, step.details, field_path, position_context
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if type(result) not in ANSWERED and is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            self._settled_later(results, awaitable_fields)
            raise
        return self._gathered(results, awaitable_fields) if awaitable_fields else results

    def execute_direct_field(
        self, step: FieldStep, parent_type: GraphQLObjectType, source: Any, path: Path, position_context: Any
    ) -> Any:
        # graphql-core 3.3's Executor.execute_field, for a direct field.
        plan = step.direct
        assert plan is not None
        try:
            if plan.lean is not None and plan.lean.takes_info:
                info = step.info
                if info is None:
                    raw = self.build_resolve_info(plan.definition, to_nodes(step.details), parent_type, path)
                    info = step.info = plan.lean.info_of(raw)
                value = plan.read(source, info)
            else:
                value = plan.read(source)
            if value is None:
                if plan.nullable:
                    return None
            elif not isinstance(value, Exception):
                if self.is_awaitable(value):
                    return self._completed_direct_later(step, parent_type, value, path, position_context)
                if plan.serialise is not None:
                    # The commonest direct field, a scalar or an enum, without a further call.
                    answer = plan.serialise(value)
                    if answer is not None and answer is not Undefined:
                        return answer
                    completed = Undefined
                else:
                    completed = self._completed_direct(step, value, path)
                if completed is not Undefined:
                    if self.is_awaitable(completed):
                        return self._completed_later(completed, plan.definition.type, step.details, path)
                    return completed
            completed = self._completed_usual(step, parent_type, value, path, position_context)
            if self.is_awaitable(completed):
                return self._completed_later(completed, plan.definition.type, step.details, path)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.definition.type, step.details, path)
            return None

    async def _completed_direct_later(
        self, step: FieldStep, parent_type: GraphQLObjectType, value: Any, path: Path, position_context: Any
    ) -> Any:
        # graphql-core 3.3's Executor.complete_awaitable_value, for a direct field: its value,
        # once awaited, completed directly where it can be.
        plan = step.direct
        assert plan is not None
        try:
            resolved = await (value if self.abort_signal is None else self.with_abort_signal(value))
            if resolved is None and plan.nullable:
                return None
            at_hand = not (resolved is None or isinstance(resolved, Exception) or self.is_awaitable(resolved))
            completed = self._completed_direct(step, resolved, path) if at_hand else Undefined
            if completed is Undefined:
                completed = self._completed_usual(step, parent_type, resolved, path, position_context)
            if self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.definition.type, step.details, path)
            return None
        return completed

    def _completed_direct(self, step: FieldStep, value: Any, path: Path) -> Any:
        """graphql-core 3.3's complete_value for a direct field's value at hand (neither null,
        an exception nor awaitable): the answer, possibly still to come, or Undefined where the
        usual way must give it (or its error)."""
        plan = step.direct
        assert plan is not None
        if plan.serialise is not None:
            answer = plan.serialise(value)
            return Undefined if answer is None else answer
        if plan.serialise_items is not None:
            if step.plain and type(value) is list:
                answers = _serialised(plan.serialise_items, value)
                if answers is not None:
                    return answers
            return Undefined
        if plan.items is not None:
            if step.plain and type(value) is list and self._all_objects(value, plan.items):
                grouped_field_set, defer_usages = self._subfields(step, plan.items)
                if not defer_usages:
                    return self._completed_items(plan, step, value, path, grouped_field_set)
            return Undefined
        object_type = plan.object_type
        assert object_type is not None
        # The check reads the value alone (`_type_check_ignores_info`).
        if object_type.is_type_of is None or object_type.is_type_of(value, None):  # type: ignore[arg-type]
            grouped_field_set, defer_usages = self._subfields(step, object_type)
            if not defer_usages:
                return self.execute_fields(object_type, value, path, grouped_field_set, None)
        return Undefined

    def _completed_usual(
        self, step: FieldStep, parent_type: GraphQLObjectType, value: Any, path: Path, position_context: Any
    ) -> Any:
        """The value completed graphql-core's own way (with its own errors), with this object's
        own resolve-info."""
        plan = step.direct
        assert plan is not None
        details = step.details
        own = self.build_resolve_info(plan.definition, to_nodes(details), parent_type, path)
        return self.complete_value(plan.definition.type, details, own, path, value, position_context)

    def _subfields(self, step: FieldStep, object_type: GraphQLObjectType) -> tuple[Any, Any]:
        """The fields the step asks of each object of its type, and the deferred ones."""
        if step.subfields is None:
            grouped_field_set, defer_usages, _ = self.collect_subfields(object_type, step.details)
            step.subfields = (grouped_field_set, defer_usages)
        return step.subfields  # type: ignore[no-any-return]

    def _all_objects(self, items: list[Any], object_type: GraphQLObjectType) -> bool:
        """Whether every item is an object of the type at hand, to be completed directly."""
        check = object_type.is_type_of
        is_awaitable = self.is_awaitable
        return all(
            item is not None and not is_awaitable(item) and (check is None or check(item, None))  # type: ignore[arg-type]
            for item in items
        )

    def _completed_items(
        self, plan: DirectField, step: FieldStep, items: list[Any], path: Path, grouped_field_set: Any
    ) -> Any:
        # graphql-core 3.3's Executor.complete_iterable_value and complete_list_item_value, for a
        # list of objects at hand (`_all_objects`) and no `@stream`.
        object_type, item_type, details = plan.items, plan.item_type, step.details
        assert object_type is not None and item_type is not None
        completed: list[Any] = []
        awaited: list[int] = []
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                try:
                    result = self.execute_fields(object_type, item, item_path, grouped_field_set, None)
                except Exception as raw_error:
                    # Raises again where the item may not be null: the list's field answers it.
                    self.handle_field_error(raw_error, item_type, details, item_path)
                    result = None
                else:
                    if type(result) not in ANSWERED and self.is_awaitable(result):
                        result = self._completed_later(result, item_type, details, item_path)
                        awaited.append(index)
                completed.append(result)
        except Exception:
            self._settled_later(completed, awaited)
            raise
        return self._gathered(completed, awaited) if awaited else completed

    async def _completed_later(
        self, completed: Any, return_type: GraphQLOutputType, field_details_list: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def _settled_later(self, results: dict[str, Any] | list[Any], awaited: Sequence[Any]) -> None:
        """The answers still to come (`results[key]` for each of `awaited`) of fields or items
        that will not be used, an error having come first: settled in the background, as
        graphql-core settles its own, so that none is left never awaited."""
        if awaited:
            self.settle_in_background([results[key] for key in awaited])

    async def _gathered(self, results: Results, awaited: Sequence[Any]) -> Results:
        """`results` (the fields of an object by name, or the items of a list by index) with
        the answers still to come at the `awaited` keys awaited in their places."""
        if len(awaited) == 1:
            results[awaited[0]] = await results[awaited[0]]
        else:
            for key, answer in zip(
                awaited, await gather_with_cancel(*(results[k] for k in awaited)), strict=True
            ):
                results[key] = answer
        return results


class RungsExecutionWithoutSuggestions(RungsExecution):
    suggest_names = False


def lean_resolvers(schema: GraphQLSchema, info_class: type[Info]) -> int:
    """Gives graphql-core the resolvers themselves, for the fields whose resolver takes no
    arguments but the object (`self`) and `info`; the number of fields it gave.

    strawberry wraps every resolver in layers that sort arguments, run field extensions and
    handle exceptions by type: some twenty calls a field, and a second coroutine for an async
    one. A field with no arguments, no extensions and no exception handlers needs none of it:
    its resolver is called as strawberry would call it, with the same `Info`. The resolver is
    recorded in the field's extensions too (`LEAN_RESOLVER`), for direct fields to call."""
    given = 0
    for named_type in schema.type_map.values():
        if not isinstance(named_type, GraphQLObjectType) or named_type.name.startswith("__"):
            continue
        for field_def in named_type.fields.values():
            lean = _lean_resolver(field_def, info_class)
            if lean is not None:
                field_def.resolve = _given(lean)
                if field_def.extensions is not None:
                    field_def.extensions[LEAN_RESOLVER] = lean
                given += 1
    return given


def _given(lean: LeanResolver) -> GraphQLFieldResolver:
    """The resolver as graphql-core calls one: with the object and its own resolve-info."""
    call, info_of = lean.call, lean.info_of
    if lean.takes_info:
        return lambda source, info: call(source, info_of(info))
    return lambda source, info: call(source)


def _lean_resolver(field_def: GraphQLField, info_class: type[Info]) -> LeanResolver | None:
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolver = field.base_resolver if field is not None else None
    if field is None or resolver is None or field.extensions or field_def.args or resolver.arguments:
        return None
    names = list(resolver.signature.parameters)

    def info_of(raw: GraphQLResolveInfo[Any]) -> Info:
        return info_class(_raw_info=raw, _field=field)

    if names == ["self"]:
        return LeanResolver(resolver.wrapped_func, False, info_of)
    if names == ["self", "info"] and resolver.info_parameter is not None:
        return LeanResolver(resolver.wrapped_func, True, info_of)
    return None
