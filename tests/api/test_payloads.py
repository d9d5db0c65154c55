"""Every mutation's payload comes from one helper: what the call made, or its expected failure."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from backend import errors, ids, models
from backend.api.areas import Area, AreaPayload
from backend.api.enums import ErrorCode
from backend.api.errors import UserError
from backend.api.payloads import ID_KINDS, failed, outcome
from backend.api.schema import schema
from backend.services.actors import Actor
from graphql import GraphQLNonNull, GraphQLObjectType, get_nullable_type

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _info(actor: Actor) -> Any:
    """What `outcome` reads of a request: who acts, and when."""
    return SimpleNamespace(context=SimpleNamespace(actor=actor, now=NOW))


async def test_a_failed_call_answers_with_its_error_and_nothing_made() -> None:
    async def refused(actor: Actor, now: datetime) -> models.Area:
        raise errors.Invalid("Give the area a name.", field="name")

    def made(area: models.Area) -> AreaPayload:
        raise AssertionError("nothing was made, so there is nothing to show")

    payload = await outcome(_info(Actor()), AreaPayload, refused, made)

    assert payload.area is None
    assert payload.errors == [
        UserError(field="name", code=ErrorCode.INVALID, message="Give the area a name.")
    ]


async def test_a_call_that_succeeds_answers_with_what_it_made_by_the_requests_actor_and_clock() -> None:
    area = models.Area(id=7, name="Riverside", slug="riverside")
    acting = Actor(client="203.0.113.9")
    called: list[tuple[Actor, datetime]] = []

    async def created(actor: Actor, now: datetime) -> models.Area:
        called.append((actor, now))
        return area

    payload = await outcome(
        _info(acting), AreaPayload, created, lambda made: AreaPayload(area=Area.of(made), errors=[])
    )

    assert called == [(acting, NOW)]
    assert payload.area is not None and payload.area.model is area
    assert payload.errors == []


def _payload_types() -> list[GraphQLObjectType]:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    kinds = {get_nullable_type(field.type) for field in mutation.fields.values()}
    assert all(isinstance(kind, GraphQLObjectType) for kind in kinds)
    return sorted(kinds, key=lambda kind: kind.name)


@pytest.mark.parametrize("payload", _payload_types(), ids=lambda kind: kind.name)
def test_every_mutation_payload_can_answer_with_an_error_alone(payload: GraphQLObjectType) -> None:
    """What a failure leaves out must be nullable, or the helper could not answer with it."""
    assert isinstance(payload.fields["errors"].type, GraphQLNonNull)
    made = [name for name in payload.fields if name != "errors"]
    assert all(not isinstance(payload.fields[name].type, GraphQLNonNull) for name in made)

    definition = schema.get_type_by_name(payload.name)
    assert definition is not None
    origin: Any = definition.origin  # type: ignore[union-attr]
    answer = failed(origin, errors.Forbidden())

    assert answer.errors == [
        UserError(field=None, code=ErrorCode.FORBIDDEN, message=errors.Forbidden.default_message)
    ]
    assert all(value is None for name, value in vars(answer).items() if name != "errors")


@pytest.mark.parametrize("field", sorted(ID_KINDS))
def test_a_wrong_id_in_any_input_field_is_invalid_in_plain_words(field: str) -> None:
    # The fuzzer found IDs of kinds without words for them failing as unexpected errors.
    type_name = ID_KINDS[field]
    assert type_name in ids.DESCRIPTIONS
    with pytest.raises(errors.Invalid) as refused:
        ids.decode(ids.encode("Nothing", 1), type_name, field)
    assert str(refused.value).startswith("No ") and str(refused.value).endswith(" has that ID")
