"""Personal data in problems: what a person's export shows of their proposals, comments,
supports and follows, and what erasing their account takes away (the rest stays, as a
former participant's public contribution)."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import F

from backend.db import int_column
from backend.models import Comment, Problem, ProblemFollow, ProblemSupport, User
from backend.services import personal_data
from backend.services.personal_data import NO_LONGER_VISIBLE, Sections
from backend.services.problems.access import public_location, visible_to
from backend.services.standing import Standing


async def _export_personal_data(user: User, standing: Standing) -> Sections:
    proposals = await Problem.filter(proposer_id=user.id).order_by("id")
    comments = await Comment.filter(author_id=user.id).order_by("id")
    supported = await ProblemSupport.filter(user_id=user.id).select_related("problem").order_by("id")
    followed = await ProblemFollow.filter(user_id=user.id).select_related("problem").order_by("id")
    taken_part_in = {s.problem_id for s in supported} | {f.problem_id for f in followed}
    still_visible = set(
        await int_column(Problem.filter(visible_to(standing), id__in=sorted(taken_part_in)), "id")
    )

    def title_of(problem: Problem) -> str:
        # A support or follow is the person's own; the title of a problem they lost sight of is not.
        return problem.title if problem.id in still_visible else NO_LONGER_VISIBLE

    moment = personal_data.moment
    return {
        "proposals": [
            {
                "title": p.title,
                "description": p.description,
                "category": p.category.value,
                "visibility": p.visibility.value,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "status": p.status.value,
                "proposed_at": moment(p.created_at),
            }
            for p in proposals
        ],
        "comments": [
            {
                "problem": c.problem_id,
                "body": c.body,
                "posted_at": moment(c.created_at),
                "hidden_at": moment(c.hidden_at),
                "hidden_reason": c.hidden_reason,
            }
            for c in comments
        ],
        "supports": [{"problem": title_of(s.problem), "since": moment(s.created_at)} for s in supported],
        "follows": [{"problem": title_of(f.problem), "since": moment(f.created_at)} for f in followed],
    }


async def _erase_personal_data(user: User, now: datetime) -> None:
    await _blur_locations(user)
    # Following is how news reaches a person; supports and comments are public
    # contributions, and stay, as a former participant's.
    followed = await int_column(ProblemFollow.filter(user_id=user.id), "problem_id")
    await ProblemFollow.filter(user_id=user.id).delete()
    await Problem.filter(id__in=followed).update(follower_count=F("follower_count") - 1)


async def _blur_locations(user: User) -> None:
    """Their proposals stay, but point no closer than the public map does: an exact spot
    is often the proposer's own door."""
    located = await Problem.filter(proposer_id=user.id, latitude__isnull=False).only(
        "id", "latitude", "longitude"
    )
    for problem in located:
        assert problem.latitude is not None and problem.longitude is not None
        problem.latitude, problem.longitude = public_location(problem.latitude, problem.longitude)
    await Problem.bulk_update(located, fields=["latitude", "longitude"], batch_size=500)


PERSONAL_DATA = personal_data.Contribution(
    name="problems",
    export=_export_personal_data,
    erase=_erase_personal_data,
    erases=("ProblemFollow", "Problem.latitude", "Problem.longitude"),
    # Public contributions stay, shown as a former participant's: others support, follow
    # and answer these problems, and their history must hold together.
    keeps={
        "Problem.proposer": "a public proposal, which others support and follow",
        "Comment.author": "part of a problem's public conversation",
        "Comment.hidden_by": "a moderator's decision to hide a comment, kept for the record",
        "ProblemSupport.user": "a public contribution, counted in the problem's support",
        "ProblemResponse.author": "an official response, part of the problem's public history",
        "ProblemUpdate.author": "official progress news, part of the problem's public history",
        "ResponseCorrection.author": "a correction of an official response, part of its public history",
    },
)
