"""Two areas under one parent may not have names that differ only by case.

Revision ID: 0013_area_names
Revises: 0012_response_corrections
Create Date: 2026-11-29

Each area gets `sibling_key`, its parent's id and its lower-cased name, unique. Names that
clash already are kept apart rather than refused: the oldest area keeps its name, and each
later one is renamed with a number after it ("Riverside (2)"), so the upgrade never fails
on data an administrator can put right afterwards. Lower-casing is Python's, as the service
does it: SQLite's lower() knows only ASCII.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_area_names"
down_revision = "0012_response_corrections"
branch_labels = None
depends_on = None

TABLE_OPTIONS = {"sqlite_autoincrement": True}
NAME_LENGTH = 120
SIBLING_KEY_LENGTH = 132


def _key(parent_id: int | None, name: str) -> str:
    return f"{parent_id or ''}/{name.lower()}"


def _distinct(parent_id: int | None, name: str, taken: set[str]) -> str:
    """The name, or the first numbered variant of it no sibling has."""
    number = 1
    candidate = name
    while _key(parent_id, candidate) in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: NAME_LENGTH - len(suffix)] + suffix
    return candidate


def upgrade() -> None:
    op.add_column("areas", sa.Column("sibling_key", sa.String(SIBLING_KEY_LENGTH), nullable=True))
    connection = op.get_bind()
    taken: set[str] = set()
    for area_id, parent_id, name in connection.execute(
        sa.text("SELECT id, parent_id, name FROM areas ORDER BY id")
    ):
        kept = _distinct(parent_id, name, taken)
        taken.add(_key(parent_id, kept))
        connection.execute(
            sa.text("UPDATE areas SET name = :name, sibling_key = :key WHERE id = :id"),
            {"name": kept, "key": _key(parent_id, kept), "id": area_id},
        )
    # SQLite cannot make a column NOT NULL in place; batch mode copies the table.
    with op.batch_alter_table("areas", table_kwargs=TABLE_OPTIONS) as areas:
        areas.alter_column("sibling_key", existing_type=sa.String(SIBLING_KEY_LENGTH), nullable=False)
        areas.create_unique_constraint("areas_sibling_key_key", ["sibling_key"])


def downgrade() -> None:
    with op.batch_alter_table("areas", table_kwargs=TABLE_OPTIONS) as areas:
        areas.drop_constraint("areas_sibling_key_key", type_="unique")
        areas.drop_column("sibling_key")
