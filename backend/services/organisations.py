"""Police forces and partner agencies, and their members."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.db import InOrder, delete_unless_referenced, get_or_not_found, save_changes
from backend.errors import Conflict, Forbidden, Invalid, InvalidState, NotFound
from backend.models import Organisation, OrganisationMembership, RoutingRule, User
from backend.models.enums import NotificationKind, OrganisationKind, OrganisationRole
from backend.services import notifications, personal_data, validation
from backend.services.actors import Actor
from backend.services.personal_data import Sections
from backend.services.standing import Standing

MAX_NAME = 120
NO_SUCH_ORGANISATION = "That organisation does not exist; choose another"

# Organisations by name, as the public list shows them: every one, or those of one kind.
EVERY_ORGANISATION = InOrder(Organisation, ("name_key", "id"))
OF_KIND = InOrder(Organisation, ("name_key", "id"), equal=("kind",))


async def get_organisation(organisation_id: int, *, field: str = "organisationId") -> Organisation:
    return await get_or_not_found(Organisation, organisation_id, missing=NO_SUCH_ORGANISATION, field=field)


def _name_and_key(name: str) -> tuple[str, str]:
    name = validation.text(name, "name", what="name", max_length=MAX_NAME)
    # Lower-casing can lengthen a name ("İ" becomes two characters); the key must still fit.
    name_key = name.lower()
    if len(name_key) > MAX_NAME:
        raise Invalid(f"The name can be at most {MAX_NAME} characters in small letters", field="name")
    return name, name_key


TAKEN_NAME = "An organisation with this name exists already."


async def create_organisation(
    actor: Actor, *, name: str, kind: OrganisationKind, now: datetime
) -> Organisation:
    actor.require_admin()
    name, name_key = _name_and_key(name)
    try:
        return await Organisation.create(name=name, name_key=name_key, kind=kind, created_at=now)
    except IntegrityError:
        raise Conflict(TAKEN_NAME, field="name") from None


async def update_organisation(
    actor: Actor, *, organisation_id: int, name: str, kind: OrganisationKind
) -> Organisation:
    """Platform admins correct an organisation's name or kind."""
    actor.require_admin()
    faults = validation.Faults()
    with faults:
        organisation = await get_organisation(organisation_id)
    with faults:
        name, name_key = _name_and_key(name)
    faults.raise_any()
    organisation.name, organisation.name_key, organisation.kind = name, name_key, kind
    try:
        async with in_transaction():
            await organisation.save(update_fields=["name", "name_key", "kind"])
    except IntegrityError:
        raise Conflict(TAKEN_NAME, field="name") from None
    return organisation


async def remove_organisation(actor: Actor, *, organisation_id: int) -> Organisation:
    """Platform admins remove an organisation set up by mistake: one that no routing rule
    names and that has nothing on record (the database refuses to lose its answers)."""
    actor.require_admin()
    organisation = await get_organisation(organisation_id)
    if await RoutingRule.exists(organisation_id=organisation.id):
        raise InvalidState(
            f"Routing rules send proposals to {organisation.name}; change or remove them first.",
            field="organisationId",
        )
    await delete_unless_referenced(
        Organisation.filter(id=organisation.id),
        kept=f"{organisation.name} owns or has answered proposals, or works in groups; it stays on record.",
        field="organisationId",
    )
    return organisation


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


async def administered_organisation(
    actor: Actor, organisation_id: int, *, to: str, for_update: bool = False
) -> Organisation:
    """The organisation, once it is known the actor manages its members: platform admins and
    the organisation's own admins (`to` says what for). `for_update` locks its row, inside the
    caller's transaction, for acts that judge the member list as it stands."""
    user = actor.require_user()
    organisation = await get_organisation(organisation_id)
    if not user.is_admin and not await is_admin_of(user, organisation):
        raise Forbidden(f"Only the organisation's admins may {to}.")
    if for_update:
        await Organisation.filter(id=organisation.id).select_for_update().only("id").get()
    return organisation


NOT_A_MEMBER = "That person is not a member of this organisation."


async def _membership_to_change(
    actor: Actor, organisation_id: int, user_id: int, *, to: str
) -> tuple[Organisation, OrganisationMembership]:
    """Inside a transaction: the organisation, its row locked so that two changes to its member
    list never judge the same list at once, and the member's row."""
    organisation = await administered_organisation(actor, organisation_id, to=to, for_update=True)
    membership = await OrganisationMembership.get_or_none(organisation_id=organisation.id, user_id=user_id)
    if membership is None:
        raise NotFound(NOT_A_MEMBER, field="userId")
    return organisation, membership


async def _check_another_admin(membership: OrganisationMembership, what: str) -> None:
    """An organisation keeps at least one admin of its own: else only platform admins could
    add its members or answer for it."""
    if membership.role != OrganisationRole.ADMIN:
        return
    others = OrganisationMembership.filter(
        organisation_id=membership.organisation_id, role=OrganisationRole.ADMIN
    ).exclude(id=membership.id)
    if not await others.exists():
        raise InvalidState(
            f"The organisation's last admin cannot {what}: make another member an admin first.",
            field="userId",
        )


async def remove_member(actor: Actor, *, organisation_id: int, user_id: int) -> Organisation:
    """Platform admins, and the organisation's own admins, take people off its member list."""
    async with in_transaction():
        organisation, membership = await _membership_to_change(
            actor, organisation_id, user_id, to="remove members"
        )
        await _check_another_admin(membership, "be removed")
        await membership.delete()
    return organisation


async def set_member_role(
    actor: Actor, *, organisation_id: int, user_id: int, role: OrganisationRole
) -> Organisation:
    """Platform admins, and the organisation's own admins, make a member an admin or a member."""
    async with in_transaction():
        organisation, membership = await _membership_to_change(
            actor, organisation_id, user_id, to="change members' roles"
        )
        if role != OrganisationRole.ADMIN:
            await _check_another_admin(membership, "stop being an admin")
        await save_changes(membership, role=role)
    return organisation


async def members(actor: Actor, organisation_id: int) -> list[OrganisationMembership]:
    """The organisation's members, by name, for those who manage them."""
    organisation = await administered_organisation(actor, organisation_id, to="see the member list")
    return list(
        await OrganisationMembership.filter(organisation_id=organisation.id)
        .select_related("user")
        .order_by("user__display_name", "id")
    )


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
