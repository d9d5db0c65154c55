"""Single-line fields (titles, names) stay on one line; text fields keep their line breaks."""

from __future__ import annotations

import pytest

from backend.errors import Invalid
from backend.models import Problem, User
from backend.services import validation
from neighbourhood import Neighbourhood
from support import GraphQL, error_of

# Every way to break a line, and control characters besides.
BREAKERS = ["\u2028", "\u2029", "\u0085", "\r", "\n", "\r\n", "\t", "\x00", "\x1b", "\x7f"]


@pytest.mark.parametrize("breaker", BREAKERS, ids=ascii)
def test_a_single_line_field_refuses_line_breaks_and_control_characters(breaker: str) -> None:
    with pytest.raises(Invalid) as refused:
        validation.text(f"Broken lights{breaker}on the footbridge", "title", what="title", max_length=200)

    assert refused.value.field == "title"
    assert refused.value.message == (
        "The title must be one line, without line breaks or characters that cannot be shown"
    )


def test_a_text_field_keeps_its_line_breaks_but_not_other_control_characters() -> None:
    body = "Seen on Monday.\n\n\tAgain on Tuesday."
    assert validation.text(body, "body", what="comment", max_length=2000, multiline=True) == body
    with pytest.raises(
        Invalid, match=r"^The comment has characters in it that cannot be shown; take them out$"
    ):
        validation.text("Seen\x1b[2J on Monday", "body", what="comment", max_length=2000, multiline=True)


async def test_a_proposal_with_a_line_separator_in_its_title_is_refused_and_writes_nothing(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    values = {
        "areaId": n.area_id(n.ward),
        "title": "Broken lights\u2028on the footbridge",
        "description": "Dark since the storm.",
        "category": "ENVIRONMENT",
    }

    error = error_of(await gql("ProposeProblem", as_=n.resident.token, input=values))

    assert (error["field"], error["code"]) == ("title", "INVALID")
    assert "one line" in error["message"]
    assert await Problem.all().count() == 0


async def test_a_name_with_a_paragraph_separator_is_refused(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood

    error = error_of(
        await gql("UpdateProfile", as_=n.resident.token, input={"displayName": "Rita\u2029Resident"})
    )

    assert (error["field"], error["code"]) == ("displayName", "INVALID")
    assert (await User.get(id=n.resident.user.id)).display_name == "Rita Resident"
