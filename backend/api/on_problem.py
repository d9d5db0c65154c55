"""What the parts of `Problem` share (its own fields, and those outcomes and working groups
add): the problem's row and area, and the viewer's rights on it, asked of the same rules the
mutations apply, so that the web interface keeps no copy of them."""

from __future__ import annotations

from collections.abc import Callable

import strawberry

from backend import models
from backend.api import references
from backend.api.context import Info
from backend.services.standing import Standing, standing_of

ProblemRule = Callable[[Standing, models.Problem, models.Area], bool]
"""A rule over what a person may do to a problem in its area."""


@strawberry.type
class OnProblem:
    model: strawberry.Private[models.Problem]

    async def _area(self, info: Info) -> models.Area:
        return await references.row(info.context.loaders.area, self.model.area_id)

    async def _viewer_may(self, info: Info, rule: ProblemRule) -> bool:
        """Whether the viewer passes `rule` on this problem, as the mutation it guards checks it."""
        return rule(await standing_of(info.context.actor), self.model, await self._area(info))


def viewer_may(rule: ProblemRule, description: str) -> bool:
    """A field saying whether the viewer passes `rule` on the problem now. Its resolver takes
    `self`, as a method's does, so that graphql-core calls it directly
    (`execution.lean_resolvers`)."""

    async def passes(self: OnProblem, info: Info) -> bool:
        return await self._viewer_may(info, rule)

    return strawberry.field(resolver=passes, description=description)
