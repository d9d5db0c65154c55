"""Police forces and partner agencies, and their members."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.db import get_or_not_found
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.models import Organisation, OrganisationMembership, User
from backend.models.enums import NotificationKind, OrganisationKind, OrganisationRole
from backend.services import notifications, personal_data, validation
from backend.services.actors import Actor
from backend.services.personal_data import Sections
from backend.services.standing import Standing

MAX_NAME = 120
NO_SUCH_ORGANISATION = "That organisation does not exist; choose another"


async def get_organisation(organisation_id: int, *, field: str = "organisationId") -> Organisation:
    return await get_or_not_found(Organisation, organisation_id, missing=NO_SUCH_ORGANISATION, field=field)


async def create_organisation(
    actor: Actor, *, name: str, kind: OrganisationKind, now: datetime
) -> Organisation:
    actor.require_admin()
    name = validation.text(name, "name", what="name", max_length=MAX_NAME)
    # Lower-casing can lengthen a name ("İ" becomes two characters); the key must still fit.
    name_key = name.lower()
    if len(name_key) > MAX_NAME:
        raise Invalid(f"The name can be at most {MAX_NAME} characters in small letters", field="name")
    try:
        return await Organisation.create(name=name, name_key=name_key, kind=kind, created_at=now)
    except IntegrityError:
        raise Conflict("An organisation with this name exists already.", field="name") from None


async def is_admin_of(user: User, organisation: Organisation) -> bool:
    return await OrganisationMembership.exists(
        organisation_id=organisation.id, user_id=user.id, role=OrganisationRole.ADMIN
    )


async def add_member(
    actor: Actor,
    *,
    organisation_id: int,
    email: str,
    role: OrganisationRole = OrganisationRole.MEMBER,
    now: datetime,
) -> Organisation:
    """Platform admins, and the organisation's own admins, add people by their email address."""
    user = actor.require_user()
    faults = validation.Faults()
    with faults:
        organisation = await get_organisation(organisation_id)
        if not user.is_admin and not await is_admin_of(user, organisation):
            raise Forbidden("Only the organisation's admins may add members.")
    with faults:
        address = validation.email(email, what="their email address")
    faults.raise_any()
    # Only an admin of the organisation learns whether the address has an account.
    member = await User.get_or_none(email=address, confirmed_at__isnull=False)
    if member is None:
        raise NotFound("No account has this email address; ask them to register first.", field="email")
    try:
        async with in_transaction():
            await OrganisationMembership.create(
                organisation=organisation, user=member, role=role, created_at=now
            )
            await notifications.notify(
                NotificationKind.ORGANISATION_MEMBERSHIP,
                member,
                subject=f"organisation:{organisation.id}",
                now=now,
                context={
                    "organisation": organisation.name,
                    "added_by": user.display_name,
                    "role": "an admin" if role == OrganisationRole.ADMIN else "a member",
                },
                actor_id=user.id,
            )
    except IntegrityError:
        raise Conflict("This person is a member already.", field="email") from None
    return organisation


async def remove_member(actor: Actor, *, organisation_id: int, user_id: int) -> Organisation:
    """Platform admins, and the organisation's own admins, take people off its member list."""
    user = actor.require_user()
    organisation = await get_organisation(organisation_id)
    if not user.is_admin and not await is_admin_of(user, organisation):
        raise Forbidden("Only the organisation's admins may remove members.")
    if not await OrganisationMembership.filter(organisation_id=organisation.id, user_id=user_id).delete():
        raise NotFound("That person is not a member of this organisation.", field="userId")
    return organisation


async def _export_memberships(user: User, standing: Standing) -> Sections:
    memberships = await OrganisationMembership.filter(user_id=user.id).select_related("organisation")
    return {
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "kind": membership.organisation.kind.value,
                "role": membership.role.value,
                "since": personal_data.moment(membership.created_at),
            }
            for membership in memberships
        ]
    }


PERSONAL_DATA = personal_data.rows_of_their_own("organisations", OrganisationMembership, _export_memberships)
