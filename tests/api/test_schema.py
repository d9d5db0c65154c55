"""The printed schema, the contract and the operations documents stay in step with the code."""

from pathlib import Path

import pytest

from backend.api.schema import schema
from graphql import build_schema, find_breaking_changes, parse, validate

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "graphql" / "schema.graphql"
OPERATIONS = sorted((ROOT / "graphql" / "operations").glob("*.graphql"))


def test_schema_file_is_the_printed_live_schema() -> None:
    printed = schema.as_str() + "\n"
    assert SCHEMA_FILE.read_text() == printed, (
        "graphql/schema.graphql is stale: regenerate it with `make schema`"
    )


@pytest.mark.parametrize("document", OPERATIONS, ids=lambda path: path.stem)
def test_operation_validates_against_the_schema(document: Path) -> None:
    ast = parse(document.read_text())
    assert validate(schema._schema, ast) == []
    names = [definition.name.value for definition in ast.definitions if definition.name]
    assert names == [document.stem], "each document holds one operation, named like its file"


def test_contract_types_owned_so_far_are_compatible() -> None:
    contract = build_schema((ROOT.parent / "shared" / "contract" / "schema.graphql").read_text())
    ours = build_schema(SCHEMA_FILE.read_text())
    owned = ("Viewer.user", "Viewer.email", "Viewer.isAdmin", "Area.name", "Organisation.kind")
    descriptions = [change.description for change in find_breaking_changes(contract, ours)]
    for field in owned:
        assert not any(field in description for description in descriptions), descriptions
    # Every mutation of accounts and administration is there with its contract arguments.
    for mutation in (
        "register",
        "logIn",
        "logOut",
        "requestMagicLink",
        "logInWithMagicLink",
        "updateProfile",
        "createArea",
        "createOrganisation",
        "addOrganisationMember",
        "assignAreaRole",
        "setRoutingRule",
    ):
        assert not any(f"Mutation.{mutation} " in d or f"Mutation.{mutation}." in d for d in descriptions)
