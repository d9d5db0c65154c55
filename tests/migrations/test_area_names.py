"""The migration that makes area names unique under each parent keeps the areas there are.

Areas are written at the revision before it, clashing as nothing then stopped them from:
after the upgrade the oldest of each clash keeps its name and the later ones are numbered,
names under other parents stay as they were, and a new clash is refused by the database.
Runs on SQLite, and on PostgreSQL too when DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from test_activity_backfill import START, database_url, insert, upgrade_to_before

from backend.db import sqlalchemy_url
from backend.migrations import upgrade

__all__ = ["database_url"]

REVISION = "0013_area_names"

# (id, parent, name): two top-level areas and two of their children clash, whatever the case.
AREAS = [
    (1, None, "Northshire"),
    (2, None, "NORTHSHIRE"),
    (3, 1, "Riverside"),
    (4, 1, "riverside"),
    (5, 1, "RiverSide"),
    (6, 2, "Riverside"),
    (7, 1, "X" * 120),
    (8, 1, "x" * 120),
]


def path(id: int, parent: int | None) -> str:
    return f"/{parent}/{id}/" if parent else f"/{id}/"


def test_clashing_names_are_numbered_and_a_new_clash_is_refused(database_url: str) -> None:
    upgrade_to_before(database_url, REVISION)
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with engine.begin() as connection:
            for id, parent, name in AREAS:
                insert(
                    connection,
                    "areas",
                    id=id,
                    name=name,
                    slug=f"area-{id}",
                    parent_id=parent,
                    path=path(id, parent),
                    created_at=START,
                )
        upgrade(database_url, REVISION)
        with engine.begin() as connection:
            rows = connection.execute(text("SELECT id, name, sibling_key FROM areas ORDER BY id")).all()
        assert [(id, name) for id, name, _ in rows] == [
            (1, "Northshire"),
            (2, "NORTHSHIRE (2)"),
            (3, "Riverside"),
            (4, "riverside (2)"),
            (5, "RiverSide (3)"),
            (6, "Riverside"),
            (7, "X" * 120),
            (8, "x" * 116 + " (2)"),
        ]
        assert rows[0][2] == "/northshire" and rows[3][2] == "1/riverside (2)"
        with pytest.raises(IntegrityError), engine.begin() as connection:
            insert(
                connection,
                "areas",
                id=9,
                name="RIVERSIDE",
                sibling_key="1/riverside",
                slug="area-9",
                parent_id=1,
                path="/1/9/",
                created_at=START,
            )
    finally:
        engine.dispose()
