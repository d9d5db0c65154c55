"""Finding a person to give a role to, by name or email address, without copying an ID.

Platform admins find anyone with an account; an organisation's admins find only the members
of the organisations they administer. Everyone else finds nobody: the search itself is
FORBIDDEN to them, as it would tell them who has an account.
"""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from backend.errors import Forbidden
from backend.models import OrganisationMembership, User
from backend.models.enums import OrganisationRole
from backend.services.actors import Actor
from backend.services.problems import search_words

MAX_FOUND = 20


async def find(actor: Actor, search: str) -> list[User]:
    """Accounts whose name or address holds every word searched for, by name; at most
    MAX_FOUND of them."""
    user = actor.require_user()
    words = search_words(search)
    people = User.filter(confirmed_at__isnull=False, erased_at__isnull=True)
    if not user.is_admin:
        administered = OrganisationMembership.filter(user_id=user.id, role=OrganisationRole.ADMIN)
        if not await administered.exists():
            raise Forbidden("Only administrators may search for people.")
        colleagues = OrganisationMembership.filter(
            organisation_id__in=Subquery(administered.values("organisation_id"))
        )
        people = people.filter(id__in=Subquery(colleagues.values("user_id")))
    if not words:
        return []
    for word in words:
        people = people.filter(Q(display_name__icontains=word) | Q(email__icontains=word.lower()))
    return list(await people.order_by("display_name", "id").limit(MAX_FOUND))
