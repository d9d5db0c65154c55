"""Rungs' execution (stored leaves read directly, direct fields with fewer steps, resolvers
given to graphql-core without strawberry's wrapping) answers exactly as strawberry's own: the
same data, and the same errors at the same paths where a value breaks its type."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from backend.api.execution import RungsExecution, direct_field, lean_resolvers, stored_leaf
from graphql import GraphQLObjectType


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Named:
    label: str


@strawberry.type
class Shelf(Named):
    size: int

    @strawberry.field
    def twice(self) -> int:
        return self.size * 2

    @strawberry.field
    async def above(self) -> int:
        if self.size < 0:
            raise ValueError("a shelf below the floor")
        return self.size + 1


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

    # Objects: an attribute, resolvers with and without `info`, awaited, missing or wrong.
    shelf: Shelf | None = None

    @strawberry.field
    def home(self) -> Shelf:
        return self.shelf  # type: ignore[return-value]  # None for some items: an error

    @strawberry.field
    def sized(self, info: strawberry.Info) -> Shelf | None:
        return None if self.shelf is None else Shelf(label=info.context["who"], size=self.shelf.size)

    @strawberry.field
    async def fetched(self) -> Shelf | None:
        return self.shelf

    @strawberry.field
    def maybe_later(self) -> Shelf | None:
        async def later() -> Shelf | None:
            return self.shelf

        return later() if self.count == 0 else self.shelf

    @strawberry.field
    def boom(self) -> Shelf | None:
        if self.count == 0:
            raise ValueError("no shelf for an empty item")
        return self.shelf

    @strawberry.field
    def odd(self) -> Shelf | None:
        return "not a shelf" if self.shelf is not None else None  # type: ignore[return-value]

    # Lists of objects: items that break their type, a null item, items answered later.
    @strawberry.field
    def shelves(self) -> list[Shelf] | None:
        top = Shelf(label="top", size=3)
        return [top, Shelf(label=None, size=1)] if self.count == 0 else [top, top]  # type: ignore[arg-type]

    @strawberry.field
    def tags(self) -> list[str | None]:
        return ["new", "red"] if self.count == 0 else ["old", None]

    @strawberry.field
    def colours(self) -> list[Colour] | None:
        return [Colour.RED] if self.count == 0 else [Colour.BLUE, None]  # type: ignore[list-item]

    @strawberry.field
    def shades(self) -> list[Colour | None]:
        return [Colour.RED, None] if self.count == 0 else [Colour.BLUE, "purple"]  # type: ignore[list-item]

    @strawberry.field
    def gaps(self) -> list[Shelf | None]:
        if self.count == 0:
            return [Shelf(label="a", size=1), None]
        return [Shelf(label="a", size=-1), Shelf(label="b", size=2)]

    # Awaited: lists of objects and of scalars, a null where the type forbids one, an error.
    @strawberry.field
    async def stacked(self) -> list[Shelf] | None:
        return self.shelves()

    @strawberry.field
    async def later_tags(self) -> list[str | None]:
        return self.tags()

    @strawberry.field
    async def needed(self) -> Shelf:
        # None, an error, for an item that otherwise answers everything.
        return None if self.note == "unshelved" else self.shelf  # type: ignore[return-value]

    @strawberry.field
    async def failing(self) -> Shelf | None:
        if self.count == 0:
            raise ValueError("no shelf to fetch for an empty item")
        return None

    @strawberry.field
    def wide(self) -> Shelf | None:
        # A shelf whose own non-null field breaks: the null climbs to this field.
        return None if self.shelf is None else Shelf(label=None, size=1)  # type: ignore[arg-type]


def _item(**fields: Any) -> Item:
    values: dict[str, Any] = {
        "name": "lamp", "note": None, "colour": Colour.RED, "count": 2, "shelf": Shelf(label="top", size=3),
        **fields,
    }  # fmt: skip
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
            _item(shelf=None),  # no shelf where `home` forbids a null
            _item(note="unshelved"),  # no shelf, awaited, where `needed` forbids a null
        ]


DOCUMENT = """
query { items {
  name note colour count alias: name shout described later greet(greeting: "Hello")
  ... on Item { count }
  shelf { label size twice } home { label } sized { label size } fetched { size twice }
  maybeLater { size } boom { size } odd { size } wide { label size } other: shelf { twice }
  shelves { label size above } gaps { label above } gapSizes: gaps { size } tags colours shades
  stacked { label size above } laterTags needed { label } failing { size }
} }
"""


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = strawberry.Schema(query=Query)
    rungs = strawberry.Schema(query=Query, execution_context_class=RungsExecution)
    # Query.items, Shelf's twice and above, and Item's shout, described, later, tags, colours,
    # shades, the nine shelf resolvers and the four awaited ones; greet takes an argument.
    assert lean_resolvers(rungs._schema, rungs.config.info_class) == 22
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
        "shelf": {"label": "top", "size": 3, "twice": 6}, "home": {"label": "top"},
        "sized": {"label": "Ann", "size": 3}, "fetched": {"size": 3, "twice": 6}, "maybeLater": {"size": 3},
        "boom": None, "odd": None, "wide": None, "other": {"twice": 6},
        "shelves": None, "gaps": [{"label": "a", "above": 2}, None], "gapSizes": [{"size": 1}, None],
        "tags": ["new", "red"], "colours": ["RED"], "shades": ["RED", None],
        "stacked": None, "laterTags": ["new", "red"], "needed": {"label": "top"}, "failing": None,
    }  # fmt: skip
    assert found.data["items"][0]["shelves"] == [{"label": "top", "size": 3, "above": 4}] * 2
    assert found.data["items"][0]["gaps"] == [None, {"label": "b", "above": 3}]
    assert found.data["items"][0]["tags"] == ["old", None]
    assert found.data["items"][0]["colours"] is None  # a null where the items may not be
    assert found.data["items"][0]["shades"] == ["BLUE", None]
    assert found.data["items"][0]["stacked"] == found.data["items"][0]["shelves"]
    assert found.data["items"][0]["laterTags"] == ["old", None]
    assert found.data["items"][5] is None  # `home` may not be null: the item is
    assert found.data["items"][6] is None  # nor may `needed`, though it is answered later


def test_fields_without_arguments_of_a_scalar_or_object_type_are_direct() -> None:
    _, rungs = _schemas()
    item = rungs._schema.type_map["Item"]
    assert isinstance(item, GraphQLObjectType)
    direct = {name for name in item.fields if direct_field(rungs._schema, item, name) is not None}
    # Not greet (an argument); every other field of Item is a scalar, an enum or an object.
    assert direct == set(item.fields) - {"greet"}


def test_only_plain_scalar_and_enum_attributes_are_read_directly() -> None:
    _, rungs = _schemas()
    item = rungs._schema.type_map["Item"]
    assert isinstance(item, GraphQLObjectType)
    direct = {name for name in item.fields if stored_leaf(rungs._schema, item, name) is not None}
    assert direct == {"name", "note", "colour", "count"}


@strawberry.type
class Row:
    number: int

    @strawberry.field
    def who(self, info: strawberry.Info) -> str:
        GIVEN.append(info)
        return f"{info.context['who']} {self.number}"


GIVEN: list[strawberry.Info] = []


@strawberry.type
class Rows:
    @strawberry.field
    def rows(self) -> list[Row]:
        return [Row(number=number) for number in range(3)]


async def test_a_resolver_taking_info_is_given_one_for_all_the_items_that_ask_it_alike() -> None:
    schema = strawberry.Schema(query=Rows, execution_context_class=RungsExecution)
    lean_resolvers(schema._schema, schema.config.info_class)
    GIVEN.clear()
    found = await schema.execute("{ rows { who } again: rows { who } }", context_value={"who": "Ann"})
    assert found.errors is None
    rows = [{"who": "Ann 0"}, {"who": "Ann 1"}, {"who": "Ann 2"}]
    assert found.data == {"rows": rows, "again": rows}
    # One Info for each selection, `rows` and `again`, whatever the number of items.
    assert len(GIVEN) == 6
    assert len({id(info) for info in GIVEN}) == 2
    assert {info.field_name for info in GIVEN} == {"who"}
    # A new request makes its own.
    await schema.execute("{ rows { who } }", context_value={"who": "Bo"})
    assert len({id(info) for info in GIVEN}) == 3
    assert GIVEN[-1].context == {"who": "Bo"}
