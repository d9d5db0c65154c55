"""A read's expected failure reaches the client as one top-level error naming the field."""

from __future__ import annotations

import pytest

from backend.api.errors import PublicError, refused_as_public
from backend.errors import Invalid, NotFound


def test_the_field_at_fault_is_named_under_its_argument() -> None:
    with pytest.raises(PublicError) as raised, refused_as_public(under="filter."):
        raise Invalid("That is not an area.", field="areaId")
    assert raised.value.message == "filter.areaId: That is not an area."


def test_a_failure_naming_no_field_is_put_on_the_one_given() -> None:
    with pytest.raises(PublicError) as raised, refused_as_public(field="groupId"):
        raise NotFound("No such group.")
    assert raised.value.message == "groupId: No such group."


def test_a_failure_with_no_field_at_all_is_its_message_alone() -> None:
    with pytest.raises(PublicError) as raised, refused_as_public(under="filter."):
        raise NotFound("No such group.")
    assert raised.value.message == "No such group."


def test_what_is_not_an_expected_failure_passes_through() -> None:
    with pytest.raises(KeyError), refused_as_public():
        raise KeyError("areaId")
