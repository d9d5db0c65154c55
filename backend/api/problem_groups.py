"""The working groups a problem has: a field working groups add to `Problem`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from backend import models
from backend.api.context import Info

if TYPE_CHECKING:
    from backend.api.working_groups import WorkingGroup


@strawberry.type
class ProblemWorkingGroups:
    model: strawberry.Private[models.Problem]

    @strawberry.field(description="The groups working on the problem that the viewer may see, newest first.")
    async def working_groups(
        self, info: Info
    ) -> list[Annotated[WorkingGroup, strawberry.lazy("backend.api.working_groups")]]:
        from backend.api.working_groups import WorkingGroup

        return [WorkingGroup.of(g) for g in await info.context.loaders.groups_of_problem.load(self.model.id)]
