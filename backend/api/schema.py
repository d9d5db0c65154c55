"""The GraphQL schema, with the limits and masking every request goes through."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from backend.api.accounts import AccountMutations, AccountQueries
from backend.api.areas import AreaMutations, AreaQueries
from backend.api.context import Info
from backend.api.errors import PublicError
from backend.api.node import Node, resolve_node
from backend.api.notifications import NotificationMutations
from backend.api.organisations import OrganisationMutations, OrganisationQueries
from backend.api.problems import ProblemMutations, ProblemQueries
from backend.api.sessions import SessionMutations
from backend.requests import request_id
from backend.services.notifications import fresh_notifications
from graphql import GraphQLError

logger = logging.getLogger("backend.api")

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000
# Distinct documents whose parse and validation are remembered, across all requests.
CACHED_DOCUMENTS = 512
# The depth and alias limits as validation rules, made once: the validation cache keys on
# the rules, so rule classes made afresh for each request would never let it hit.
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


@strawberry.type
class NodeQueries:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)


Query = merge_types("Query", (NodeQueries, AccountQueries, AreaQueries, OrganisationQueries, ProblemQueries))
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        SessionMutations,
        AreaMutations,
        OrganisationMutations,
        NotificationMutations,
        ProblemMutations,
    ),
)


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised while resolving, other than those meant for the client, are bugs: mask them.

    Errors with no path (syntax, validation, variable coercion) are about the request
    itself and stay as they are.
    """
    original = error.original_error
    return error.path is not None and original is not None and not isinstance(original, PublicError)


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            message=f"Unexpected error; quote request {request_id.get()} when reporting it.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
        )


class AnnounceNotifications(SchemaExtension):
    """After the operation (and so after its transactions committed), ask for delivery now."""

    async def on_execute(self) -> AsyncIterator[None]:
        with fresh_notifications() as fresh:
            yield
        if fresh:
            await self.execution_context.context.queue.deliver_notifications(fresh)


class RungsSchema(strawberry.Schema):
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


def build_schema(*, development: bool) -> strawberry.Schema:
    return RungsSchema(
        query=Query,
        mutation=Mutation,
        types=[],
        config=StrawberryConfig(disable_field_suggestions=not development),
        # Factories: each request gets fresh extension instances (the parser and
        # validation caches themselves live at module level and are shared).
        extensions=[
            lambda: AddValidationRules(LIMIT_RULES),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
            lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
            AnnounceNotifications,
            MaskUnexpectedErrors,
        ],
    )


schema = build_schema(development=False)
