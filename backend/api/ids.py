"""The API layer's name for the ID codec, which lives in `backend.ids` below every layer that uses it."""

from backend.ids import DESCRIPTIONS, MAX_PK, decode, decode_optional, encode, parse  # noqa: F401
