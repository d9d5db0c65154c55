"""The GraphQL schema, with the limits and masking every request goes through."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import nullcontext
from functools import cache, lru_cache
from typing import Any

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from backend.api.accounts import AccountMutations, AccountQueries
from backend.api.actions import ActionMutations
from backend.api.administration import AdministrationQueries
from backend.api.answer_templates import AnswerTemplateMutations
from backend.api.areas import AreaMutations, AreaQueries
from backend.api.contact import ContactQueries
from backend.api.context import Info
from backend.api.cost import MAX_COST, remembered_cost
from backend.api.documents import KnownDocument
from backend.api.errors import PublicError
from backend.api.execution import RungsExecution, RungsExecutionWithoutSuggestions, lean_resolvers
from backend.api.node import Node, resolve_node
from backend.api.notifications import NotificationMutations
from backend.api.organisations import OrganisationMutations, OrganisationQueries
from backend.api.outcomes import OutcomeMutations
from backend.api.problems import ProblemMutations, ProblemQueries
from backend.api.service import ServiceQueries
from backend.api.sessions import SessionMutations
from backend.api.site import SiteQueries
from backend.api.volunteer_tasks import VolunteerTaskMutations, VolunteerTaskQueries
from backend.api.working_groups import WorkingGroupMutations, WorkingGroupQueries
from backend.db import reads_held
from backend.requests import request_id
from backend.services.notifications import fresh_notifications
from graphql import (
    ASTValidationRule,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    parse,
    specified_rules,
    validate,
)

logger = logging.getLogger("backend.api")

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000
# Distinct documents whose parse and validation are remembered, across all requests.
CACHED_DOCUMENTS = 512
# The depth and alias limits as validation rules, made once: the validation cache keys on
# the rules, so rule classes made afresh for each request would never let it hit.
LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)
# The same, refusing introspection too; made once for the same reason.
LIMIT_RULES_WITHOUT_INTROSPECTION = (*LIMIT_RULES, NoSchemaIntrospectionCustomRule)


@strawberry.type
class NodeQueries:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)


Query = merge_types(
    "Query",
    (
        NodeQueries,
        AccountQueries,
        AreaQueries,
        OrganisationQueries,
        ProblemQueries,
        WorkingGroupQueries,
        VolunteerTaskQueries,
        AdministrationQueries,
        ServiceQueries,
        SiteQueries,
        ContactQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        SessionMutations,
        AreaMutations,
        OrganisationMutations,
        AnswerTemplateMutations,
        NotificationMutations,
        ProblemMutations,
        OutcomeMutations,
        WorkingGroupMutations,
        ActionMutations,
        VolunteerTaskMutations,
    ),
)


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised while resolving, other than those meant for the client, are bugs: mask them.

    Errors with no path (syntax, validation, variable coercion) are about the request
    itself and stay as they are.
    """
    original = error.original_error
    return error.path is not None and original is not None and not isinstance(original, PublicError)


# The parse, remembered per text across all requests (and the token limit with it: a text
# over the limit raises each time, and errors are not remembered).
parsed = lru_cache(maxsize=CACHED_DOCUMENTS)(parse)


@lru_cache(maxsize=CACHED_DOCUMENTS)
def validated(
    schema: GraphQLSchema,
    document: KnownDocument,
    rules: tuple[type[ASTValidationRule], ...],
    *,
    hide_suggestions: bool,
) -> list[GraphQLError]:
    """The document's validation errors, remembered across requests. Strawberry's own
    rules are added as its validation adds them."""
    return validate(
        schema,
        document.node,
        (*rules, MaybeNullValidationRule, OneOfInputValidationRule),
        hide_suggestions=hide_suggestions,
    )


class RequestSteps(MaskErrors):
    """What every operation goes through, as one extension:
    - before it runs, each step done once per document and remembered: the parse, under a
      token limit; validation, with the depth and alias limits (and introspection refused
      where it is off); then, its variables applied, the cost limit (see backend/api/cost.py);
    - after it ran (and so after its transactions committed), delivery asked for at once of
      the notifications it made;
    - unexpected errors masked (`is_unexpected`), each naming the request to quote.

    Outside development validation errors never suggest the names of fields, arguments,
    types, enum values or input fields: a guess at a name must not be answered with the
    schema's real ones.

    One extension rather than one per concern: strawberry wraps every hook of every
    extension in a context manager at each stage of each request, which cost more than the
    remembered work itself (about a tenth of the smallest request with three extensions)."""

    def __init__(self, *, rules: tuple[type[ASTValidationRule], ...], suggest_names: bool) -> None:
        super().__init__(should_mask_error=is_unexpected)
        self.rules = rules
        self.suggest_names = suggest_names

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = MAX_TOKENS
        context.validation_rules = context.validation_rules + self.rules
        yield from super().on_operation()

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.graphql_document = parsed(context.query, **context.parse_options)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.pre_execution_errors = validated(
            context.schema._schema,
            self._document(),
            context.validation_rules,
            hide_suggestions=not self.suggest_names,
        )
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        cost = remembered_cost(
            context.schema._schema,
            self._document(),
            operation_name=context.operation_name,
            variables=context.variables,
        )
        if cost > MAX_COST:
            # A result already there is what the execution step returns, without running.
            context.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"This query is too costly (cost {cost:,}; the limit is {MAX_COST:,}): "
                        "ask for fewer items or fields.",
                        extensions={"cost": cost, "limit": MAX_COST},
                    )
                ],
            )
        reads = reads_held() if context.operation_type is OperationType.QUERY else nullcontext()
        async with reads:
            with fresh_notifications() as fresh:
                yield
        if fresh:
            await context.context.queue.deliver_notifications(fresh)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            message=f"Unexpected error; quote request {request_id.get()} when reporting it.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
        )

    def _process_result(self, result: object) -> None:
        # Strawberry asks whether the result has `errors` with isinstance against a runtime
        # Protocol, which costs about 20 µs on every request: as much as a fifth of the
        # GraphQL work of the smallest one. Asking the attribute is the same question.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def _document(self) -> KnownDocument:
        context = self.execution_context
        assert context.query is not None and context.graphql_document is not None
        return KnownDocument(context.query, context.graphql_document)


class RungsSchema(strawberry.Schema):
    def __init__(
        self, *, rules: tuple[type[ASTValidationRule], ...], development: bool, **options: Any
    ) -> None:
        super().__init__(**options)
        lean_resolvers(self._schema, self.config.info_class)
        # The validation cache's key for a request: graphql-core's rules, then those
        # RequestSteps appends, as a request's execution context holds them.
        self.request_rules = (*specified_rules, *rules)
        self.development = development

    def prepare(self, text: str) -> list[GraphQLError]:
        """Parses and validates `text` as a request sending it does, through the same caches
        under the same keys, so that such a request finds both done; its validation errors.
        A document too long to parse raises GraphQLSyntaxError, as it fails a request."""
        # The options RequestSteps gives a request's parse, which the parse cache keys on.
        document = KnownDocument(text, parsed(text, max_tokens=MAX_TOKENS))
        return validated(self._schema, document, self.request_rules, hide_suggestions=not self.development)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                logger.error(
                    "unexpected error in request %s at %s",
                    request_id.get(),
                    ".".join(map(str, error.path or ())),
                    exc_info=error.original_error,
                )


# One schema per kind, shared by every app a process builds: the validation cache keys on
# the schema, so an app built afresh (each test builds one) finds its documents validated.
@cache
def build_schema(*, development: bool, introspection: bool) -> RungsSchema:
    """Outside development, errors suggest no names; introspection is a choice of its own."""
    rules = LIMIT_RULES if introspection else LIMIT_RULES_WITHOUT_INTROSPECTION
    return RungsSchema(
        rules=rules,
        development=development,
        query=Query,
        mutation=Mutation,
        types=[],
        execution_context_class=RungsExecution if development else RungsExecutionWithoutSuggestions,
        # Factories: each request gets fresh extension instances (the parser, validation
        # and cost caches themselves live at module level and are shared).
        extensions=[lambda: RequestSteps(rules=rules, suggest_names=development)],
    )


schema = build_schema(development=False, introspection=False)
