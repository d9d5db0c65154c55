from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend import models
from backend.api import references
from backend.api.accountability import AccountabilityStats, organisation_accountability
from backend.api.answer_templates import AnswerTemplate
from backend.api.context import Info, settled
from backend.api.enums import OrganisationKind, OrganisationRole
from backend.api.errors import UserError
from backend.api.node import Node, node_id
from backend.api.objects import copied
from backend.api.pagination import Connection, paginate_in_order
from backend.api.payloads import Answer
from backend.services import answer_templates, organisations
from backend.services.standing import standing_of

if TYPE_CHECKING:
    from backend.api.accounts import User


@strawberry.type
class Organisation(Node):
    pk: strawberry.Private[int]
    name: str
    kind: OrganisationKind

    @classmethod
    def of(cls, organisation: models.Organisation) -> Organisation:
        return copied(cls, organisation, id=node_id("Organisation", organisation.id), pk=organisation.id)

    @strawberry.field(description="How this organisation answers the community: see AccountabilityStats.")
    async def accountability(self, info: Info, since: date | None = None) -> AccountabilityStats:
        return await organisation_accountability(info, self.pk, since)

    @strawberry.field(
        description=(
            "Its common answers, by title, for its members' response form: empty for anyone "
            "but its members and platform admins."
        )
    )
    async def answer_templates(self, info: Info) -> list[AnswerTemplate]:
        if not answer_templates.may_read(await standing_of(info.context.actor), self.pk):
            return []
        found = await info.context.loaders.answer_templates_of_organisation.load(self.pk)
        return [AnswerTemplate.of(template) for template in found]

    @strawberry.field(
        description=(
            "Whether the viewer may write, change and remove its answer templates: its admins, "
            "and platform admins."
        )
    )
    async def viewer_can_manage_answer_templates(self, info: Info) -> bool:
        user = info.context.actor.user
        if user is None:
            return False
        # The viewer's memberships, loaded once for every organisation on the page.
        memberships = await info.context.loaders.memberships_of_user.load(user.id)
        return answer_templates.manages(user, self.pk, memberships)


@strawberry.type
class OrganisationMembership:
    organisation_id: strawberry.Private[int]
    user_id: strawberry.Private[int]
    role: OrganisationRole

    @classmethod
    def of(cls, membership: models.OrganisationMembership) -> OrganisationMembership:
        return copied(cls, membership)

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        return await settled(references.organisation(info, self.organisation_id))

    @strawberry.field
    async def user(self, info: Info) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        return await settled(references.user(info, self.user_id))


@strawberry.type
class OrganisationPayload:
    organisation: Organisation | None
    errors: list[UserError]


@strawberry.input
class CreateOrganisationInput:
    name: str
    kind: OrganisationKind


@strawberry.input
class AddOrganisationMemberInput:
    organisation_id: strawberry.ID
    email: str
    role: OrganisationRole | None = None


@strawberry.input
class RemoveOrganisationMemberInput:
    organisation_id: strawberry.ID
    user_id: strawberry.ID


@strawberry.input
class SetOrganisationMemberRoleInput:
    organisation_id: strawberry.ID
    user_id: strawberry.ID
    role: OrganisationRole


@strawberry.input
class UpdateOrganisationInput:
    organisation_id: strawberry.ID
    name: str
    kind: OrganisationKind


@strawberry.input
class OrganisationRefInput:
    organisation_id: strawberry.ID


@strawberry.type
class OrganisationQueries:
    @strawberry.field
    async def organisations(
        self,
        info: Info,
        kind: OrganisationKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Organisation]:
        if kind is None:
            page = await paginate_in_order(organisations.EVERY_ORGANISATION, [], first=first, after=after)
        else:
            page = await paginate_in_order(organisations.OF_KIND, [kind], first=first, after=after)
        return Connection.of(page, Organisation.of)


organisation_answer = Answer(OrganisationPayload, Organisation.of)


@strawberry.type
class OrganisationMutations:
    create_organisation = organisation_answer.mutation(
        organisations.create_organisation, CreateOrganisationInput
    )
    add_organisation_member = organisation_answer.mutation(
        organisations.add_member,
        AddOrganisationMemberInput,
        defaults={"role": models.enums.OrganisationRole.MEMBER},
    )

    update_organisation = organisation_answer.mutation(
        organisations.update_organisation,
        UpdateOrganisationInput,
        description="Platform admins: correct an organisation's name or kind.",
    )
    remove_organisation = organisation_answer.mutation(
        organisations.remove_organisation,
        OrganisationRefInput,
        description=(
            "Platform admins: remove an organisation no routing rule names and with nothing on record "
            "(INVALID_STATE otherwise). The payload holds the organisation as it was."
        ),
    )
    set_organisation_member_role = organisation_answer.mutation(
        organisations.set_member_role,
        SetOrganisationMemberRoleInput,
        description=(
            "Platform admins and the organisation's admins: make a member admin or not. "
            "Its last admin stays one until another member is made admin (INVALID_STATE)."
        ),
    )
    remove_organisation_member = organisation_answer.mutation(
        organisations.remove_member,
        RemoveOrganisationMemberInput,
        description=(
            "Platform admins and the organisation's admins take a member off its list; "
            "never its last admin (INVALID_STATE)."
        ),
    )
