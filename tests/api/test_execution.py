"""Rungs' execution (stored leaves read directly, resolvers given to graphql-core without
strawberry's wrapping) answers exactly as strawberry's own: the same data, and the same errors
at the same paths where a value breaks its type."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from backend.api.execution import RungsExecution, lean_resolvers, stored_leaf
from graphql import GraphQLObjectType


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    note: str | None
    colour: Colour
    count: int

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def described(self, info: strawberry.Info) -> str:
        return f"{self.name} for {info.context['who']}"

    @strawberry.field
    async def later(self) -> int:
        return self.count + 1

    @strawberry.field
    def greet(self, greeting: str) -> str:
        return f"{greeting}, {self.name}"


def _item(**fields: Any) -> Item:
    values: dict[str, Any] = {"name": "lamp", "note": None, "colour": Colour.RED, "count": 2, **fields}
    return Item(**values)


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [
            _item(),
            _item(name="bin", note="by the gate", colour=Colour.BLUE, count=0),
            _item(name=None),  # a null where the type forbids one
            _item(colour="purple"),  # a value the enum does not have
            _item(count="many"),  # a value Int cannot represent
        ]


DOCUMENT = """
query { items {
  name note colour count alias: name shout described later greet(greeting: "Hello")
  ... on Item { count }
} }
"""


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = strawberry.Schema(query=Query)
    rungs = strawberry.Schema(query=Query, execution_context_class=RungsExecution)
    # Query.items, Item.shout, Item.described and Item.later; greet takes an argument.
    assert lean_resolvers(rungs._schema, rungs.config.info_class) == 4
    return plain, rungs


async def test_rungs_execution_answers_as_strawberrys_own() -> None:
    plain, rungs = _schemas()
    expected = await plain.execute(DOCUMENT, context_value={"who": "Ann"})
    found = await rungs.execute(DOCUMENT, context_value={"who": "Ann"})
    assert found.data == expected.data
    assert expected.errors
    assert [(e.message, e.path) for e in found.errors or []] == [(e.message, e.path) for e in expected.errors]
    assert found.data is not None
    assert found.data["items"][1] == {
        "name": "bin", "note": "by the gate", "colour": "BLUE", "count": 0, "alias": "bin", "shout": "BIN",
        "described": "bin for Ann", "later": 1, "greet": "Hello, bin",
    }  # fmt: skip


def test_only_plain_scalar_and_enum_attributes_are_read_directly() -> None:
    _, rungs = _schemas()
    item = rungs._schema.type_map["Item"]
    assert isinstance(item, GraphQLObjectType)
    direct = {name for name in item.fields if stored_leaf(rungs._schema, item, name) is not None}
    assert direct == {"name", "note", "colour", "count"}
