"""Accountability figures, public per area and per organisation."""

from __future__ import annotations

from datetime import date

import strawberry

from backend import models
from backend.api.context import Info
from backend.api.enums import DeclineReason
from backend.api.objects import copied
from backend.services import accountability


@strawberry.type
class ReasonCount:
    reason_code: DeclineReason
    count: int


@strawberry.type(
    description=(
        "Whether community input gets the response it is owed. Counts cover proposals made "
        "since `since` (all time when omitted). For an area, each proposal made in it or in an "
        "area inside it counts once, answered or awaiting an answer (a referral is not an answer: "
        "the proposal awaits its new owner's), so responded + awaitingResponse = proposalsReceived. "
        "For an organisation, each time a proposal reached it counts, judged by its own answer (a "
        "referral is its answer). Restricted proposals are counted too. Each count of an area is "
        "the board's ProblemFilter of the same name with `areaId` and `proposedSince`."
    )
)
class AccountabilityStats:
    proposals_received: int = strawberry.field(
        description="Proposals made in the period (for an organisation: those that reached it in the period)."
    )
    responded: int = strawberry.field(
        description="Of those, the ones answered: accepted, declined or marked a duplicate (for an "
        "organisation, referred onwards too). Board: the statuses after an answer."
    )
    responded_within_target: int = strawberry.field(
        description="Of the answered, those answered by the day due when the answer came (a referral gives "
        "the new owner its own response time). Out of `answerDue`, never out of `responded` alone. "
        "Board: answeredOnTime."
    )
    answer_due: int = strawberry.field(
        description="Proposals whose answer has been given or is overdue (responded + overdue): what "
        'respondedWithinTarget is out of, as in "4 of 5 due answered on time". Board: answerDue.'
    )
    awaiting_response: int = strawberry.field(
        description="Proposals still awaiting an answer from their current owner, overdue or not. "
        "Board: statuses PROPOSED and REFERRED."
    )
    referred: int = strawberry.field(
        description="Proposals passed on to another organisation (counted for the one that referred them; "
        "for an area, proposals referred at least once, answered since or not). Board: referred."
    )
    overdue: int = strawberry.field(
        description="Awaiting an answer past the day it was due, now. Board: responseOverdue."
    )
    median_hours_to_first_response: float | None = strawberry.field(
        description="Median hours from the proposal (or its arrival, for an organisation) to the first "
        "official response of any kind, referrals included; null before any response."
    )
    declined: int = strawberry.field(description="Proposals declined. Board: statuses DECLINED.")
    declined_by_reason: list[ReasonCount] = strawberry.field(
        description="The declines by reason, most frequent first. Board: declineReasons."
    )
    resolved: int = strawberry.field(
        description="Accepted (for an organisation: by it), since closed as resolved. Board: status RESOLVED."
    )
    disputed_resolutions: int = strawberry.field(
        description="Closings the community disputed: more of those who reviewed them disagreed than agreed "
        "(at least 3), and the problem reopened."
    )

    @classmethod
    def of(cls, stats: accountability.AccountabilityStats) -> AccountabilityStats:
        return copied(
            cls,
            stats,
            declined_by_reason=[
                ReasonCount(reason_code=reason, count=count) for reason, count in stats.declined_by_reason
            ],
        )


async def area_accountability(info: Info, area: models.Area, since: date | None) -> AccountabilityStats:
    loaders = info.context.loaders
    # The figures start from the area the caller holds, not from another read of it.
    loaders.area.prime(area.id, area)
    return AccountabilityStats.of(await loaders.area_accountability.load((area.id, since)))


async def organisation_accountability(
    info: Info, organisation_id: int, since: date | None
) -> AccountabilityStats:
    stats = await info.context.loaders.organisation_accountability.load((organisation_id, since))
    return AccountabilityStats.of(stats)
