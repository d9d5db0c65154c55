"""The GraphQL schema, with the limits and masking every request goes through."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from functools import cache, lru_cache
from typing import Any

import strawberry
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.tools import merge_types

from backend.api.accounts import AccountMutations, AccountQueries
from backend.api.actions import ActionMutations
from backend.api.administration import AdministrationQueries
from backend.api.answer_templates import AnswerTemplateMutations
from backend.api.areas import AreaMutations, AreaQueries
from backend.api.contact import ContactQueries
from backend.api.context import Context, Info, settled
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
    OperationType,
    execute,
    get_operation_ast,
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


class RungsSchema(strawberry.Schema):
    """Strawberry's schema, with `run`: the steps every request goes through, as plain calls
    around graphql-core's execution. Strawberry's own `execute` and HTTP view wrap each stage of
    each request in extension hooks and adapters: the app answered `{ __typename }` in 0.18 ms
    of CPU through them and in 0.09 ms through `run` (in-process, without a server).
    Strawberry's `execute` is left as it is and takes none of these steps: /graphql calls `run`."""

    def __init__(
        self, *, rules: tuple[type[ASTValidationRule], ...], development: bool, **options: Any
    ) -> None:
        super().__init__(**options)
        lean_resolvers(self._schema, self.config.info_class)
        # The validation cache's key for a document: graphql-core's rules, then the limits.
        self.request_rules = (*specified_rules, *rules)
        self.development = development

    def prepare(self, text: str) -> list[GraphQLError]:
        """Parses and validates `text` as a request sending it does, through the same caches
        under the same keys, so that such a request finds both done; its validation errors.
        A document too long to parse raises GraphQLSyntaxError, as it fails a request."""
        return self._validation_errors(_parsed(text))

    async def run(
        self,
        text: str,
        *,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Context,
    ) -> ExecutionResult:
        """One operation, through what every request goes through:
        - before it runs, each step done once per document and remembered: the parse, under a
          token limit; validation, with the depth and alias limits (and introspection refused
          where it is off); then, its variables applied, the cost limit (backend/api/cost.py);
        - a query runs with its reads on one held connection (`reads_held`);
        - after it ran (and so after its transactions committed), delivery is asked for at once
          of the notifications it made;
        - unexpected errors are logged and masked (`is_unexpected`), each naming the request
          to quote.

        Outside development validation errors never suggest the names of fields, arguments,
        types, enum values or input fields: a guess at a name must not be answered with the
        schema's real ones."""
        try:
            document = _parsed(text)
        except GraphQLError as error:
            return ExecutionResult(data=None, errors=[error])
        if errors := self._validation_errors(document):
            return ExecutionResult(data=None, errors=errors)
        cost = remembered_cost(self._schema, document, operation_name=operation_name, variables=variables)
        if cost > MAX_COST:
            return ExecutionResult(data=None, errors=[_too_costly(cost)])
        operation = get_operation_ast(document.node, operation_name)
        is_query = operation is not None and operation.operation is OperationType.QUERY
        try:
            async with reads_held() if is_query else nullcontext():
                with fresh_notifications() as fresh:
                    result = await settled(
                        execute(
                            self._schema,
                            document.node,
                            context_value=context,
                            variable_values=variables,
                            operation_name=operation_name,
                            executor_class=self.execution_context_class,
                            # Strawberry's check, quicker than graphql-core's; typed as a bool.
                            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
                        )
                    )
        except Exception as error:  # outside any field: the whole operation failed
            return ExecutionResult(
                data=None, errors=[_masked(GraphQLError(str(error), original_error=error))]
            )
        if fresh:
            await context.queue.deliver_notifications(fresh)
        if result.errors:
            result.errors = [_reported(error) for error in result.errors]
        return result

    def _validation_errors(self, document: KnownDocument) -> list[GraphQLError]:
        return validated(self._schema, document, self.request_rules, hide_suggestions=not self.development)


def _parsed(text: str) -> KnownDocument:
    return KnownDocument(text, parsed(text, max_tokens=MAX_TOKENS))


def _too_costly(cost: int) -> GraphQLError:
    return GraphQLError(
        f"This query is too costly (cost {cost:,}; the limit is {MAX_COST:,}): "
        "ask for fewer items or fields.",
        extensions={"cost": cost, "limit": MAX_COST},
    )


def _reported(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it: an unexpected one masked, any other as it is."""
    return _masked(error) if is_unexpected(error) else error


def _masked(error: GraphQLError) -> GraphQLError:
    """The error logged, and masked to a message that names the request to quote."""
    logger.error(
        "unexpected error in request %s at %s",
        request_id.get(),
        ".".join(map(str, error.path or ())),
        exc_info=error.original_error,
    )
    return GraphQLError(
        message=f"Unexpected error; quote request {request_id.get()} when reporting it.",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
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
    )


schema = build_schema(development=False, introspection=False)
