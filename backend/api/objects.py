"""GraphQL objects made from the rows, and the figures, they show."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


@cache
def _stored_fields(cls: type[DataclassInstance]) -> tuple[str, ...]:
    # Fields with a resolver are not stored: they are worked out when asked for.
    return tuple(field.name for field in dataclasses.fields(cls) if field.init)


def copied(cls: type[T], source: object, **given: Any) -> T:
    """An object of `cls` whose stored fields hold `source`'s attributes of the same names,
    but for those `given`."""
    make: Callable[..., T] = cls
    kept = {name: getattr(source, name) for name in _stored_fields(cls) if name not in given}
    return make(**kept, **given)
