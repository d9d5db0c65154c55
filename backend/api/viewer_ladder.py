"""What the ladder of participation adds to `Viewer`: the viewer's rung, and their next steps up."""

from __future__ import annotations

import strawberry

from backend import ids, models
from backend.api.context import Info
from backend.api.enums import ParticipationRung
from backend.api.errors import refused_as_public
from backend.services.ladder import next_steps
from backend.services.ladder.next_steps import area_asked


@strawberry.type(description="An invitation to a rung above the viewer's: something open now, near them.")
class NextStep:
    rung: ParticipationRung = strawberry.field(description="The rung taking the step reaches.")
    title: str = strawberry.field(
        description='What to do, in plain words: "Help with: Litter pick, Sat 6 Dec".'
    )
    url: str | None = strawberry.field(
        description="The path of the web interface's page where the step is taken (`/#/tasks/…`)."
    )

    @classmethod
    def of(cls, step: next_steps.NextStep) -> NextStep:
        return cls(rung=step.rung, title=step.title, url=step.url)


@strawberry.type
class ViewerLadder:
    model: strawberry.Private[models.User]

    @strawberry.field(
        description=(
            "The viewer's rung in the area and the areas inside it (over all areas when omitted): "
            "the highest their activity there in the last 12 months reaches, see ParticipationRung."
        )
    )
    async def rung(self, info: Info, area_id: strawberry.ID | None = None) -> ParticipationRung:
        with refused_as_public():
            area = await area_asked(ids.decode_optional(area_id, "Area", "areaId"))
            viewer = info.context.acting_as(self.model)
            return await next_steps.viewer_rung(viewer, area, now=info.context.now)

    @strawberry.field(
        description=(
            "Two or three invitations to the rungs above the viewer's (in the area, or over all areas "
            "when omitted), the nearest rung first: a problem to follow or support, a closing to "
            "review, an open task (one needing their skills first), a working group open to join. "
            "Drawn from the area and the areas inside it, else from around the viewer's home area; "
            "never a step already taken nor anything the viewer may not see. Empty on the top rung."
        )
    )
    async def next_steps(self, info: Info, area_id: strawberry.ID | None = None) -> list[NextStep]:
        with refused_as_public():
            area = await area_asked(ids.decode_optional(area_id, "Area", "areaId"))
            viewer = info.context.acting_as(self.model)
            steps = await next_steps.next_steps(viewer, area, now=info.context.now)
        return [NextStep.of(step) for step in steps]
