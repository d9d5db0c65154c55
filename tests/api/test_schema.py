"""The printed schema, the contract and the operations documents stay in step with the code."""

import re
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


# The shared contract lives beside the repository, not in it.
CONTRACT = ROOT.parent / "shared" / "contract" / "schema.graphql"
needs_contract = pytest.mark.skipif(
    not CONTRACT.exists(), reason="the shared contract is not beside this checkout (../shared/contract)"
)


@needs_contract
def test_contract_types_owned_so_far_are_compatible() -> None:
    contract = build_schema(CONTRACT.read_text())
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


# Problems: everything but what the outcomes and working-groups issues add.
PROBLEM_TYPES = (
    "Problem",
    "ProblemFilter",
    "ProblemOrder",
    "ProblemResponse",
    "ProblemUpdate",
    "Comment",
    "GeoPoint",
    "AccountabilityStats",
    "ReasonCount",
    "ProposeProblemInput",
    "ProblemRefInput",
    "CommentOnProblemInput",
    "RespondToProblemInput",
    "PostProblemUpdateInput",
    "SetProblemStageInput",
    "HideCommentInput",
    "ProblemPayload",
    "CommentPayload",
)
# Fields of the problem types that later capabilities bring: working groups.
LATER = ("Problem.workingGroups",)


def mentions(description: str, name: str) -> bool:
    """Whether a breaking change ("Field Problem.title was removed.", "ProblemOrder was
    removed.", "Argument since on Area.accountability ...") is about the named type or field."""
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", description) is not None


def test_mentions_tells_types_and_fields_apart() -> None:
    assert mentions("Field Problem.title was removed.", "Problem")
    assert mentions("Field Problem.title was removed.", "Problem.title")
    assert not mentions("ProblemOrder was removed.", "Problem")
    assert not mentions("Field Problem.resolution was removed.", "Problem.res")


@needs_contract
def test_the_problem_types_match_the_contract() -> None:
    contract = build_schema(CONTRACT.read_text())
    ours = build_schema(SCHEMA_FILE.read_text())
    changes = [change.description for change in find_breaking_changes(contract, ours)]
    owned = [
        *PROBLEM_TYPES,
        "Query.problems",
        "Query.problem",
        "Area.accountability",
        "Organisation.accountability",
        *(
            f"Mutation.{mutation}"
            for mutation in (
                "proposeProblem",
                "supportProblem",
                "withdrawSupport",
                "followProblem",
                "unfollowProblem",
                "commentOnProblem",
                "respondToProblem",
                "postProblemUpdate",
                "setProblemStage",
                "hideComment",
            )
        ),
    ]
    about_problems = [
        change
        for change in changes
        if any(mentions(change, name) for name in owned)
        and not any(mentions(change, later) for later in LATER)
    ]
    assert about_problems == []


@needs_contract
def test_the_outcome_types_match_the_contract() -> None:
    contract = build_schema(CONTRACT.read_text())
    ours = build_schema(SCHEMA_FILE.read_text())
    changes = [change.description for change in find_breaking_changes(contract, ours)]
    owned = (
        "OutcomeMeasure",
        "OutcomeReading",
        "OutcomeDirection",
        "OutcomeMeasurePayload",
        "Resolution",
        "ResolutionOutcome",
        "DefineOutcomeMeasureInput",
        "RecordOutcomeReadingInput",
        "CloseProblemInput",
        "ReviewResolutionInput",
        "Problem.measures",
        "Problem.resolution",
        "NotificationKind",
        "Mutation.defineOutcomeMeasure",
        "Mutation.recordOutcomeReading",
        "Mutation.closeProblem",
        "Mutation.reviewResolution",
    )
    assert [change for change in changes if any(mentions(change, name) for name in owned)] == []
