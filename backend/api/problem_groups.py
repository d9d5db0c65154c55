"""What working groups add to `Problem`: the groups working on it, and whether the viewer
may form one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from backend.api.context import Info
from backend.api.on_problem import OnProblem, viewer_may
from backend.services.working_groups import access

if TYPE_CHECKING:
    from backend.api.working_groups import WorkingGroup


@strawberry.type
class ProblemWorkingGroups(OnProblem):
    @strawberry.field(description="The groups working on the problem that the viewer may see, newest first.")
    async def working_groups(
        self, info: Info
    ) -> list[Annotated[WorkingGroup, strawberry.lazy("backend.api.working_groups")]]:
        from backend.api.working_groups import WorkingGroup

        return [WorkingGroup.of(g) for g in await info.context.loaders.groups_of_problem.load(self.model.id)]

    viewer_can_form_working_group = viewer_may(
        access.may_form_now,
        "Whether the viewer may form a working group around the problem now (formWorkingGroup).",
    )
