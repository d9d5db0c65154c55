"""Answer templates: the common answers an organisation's members start a response from.

Each organisation keeps its own: its admins (and platform admins) write, change and remove
them; its members read them, to fill the response's text and then make it fit the
proposal. To anyone else a template does not exist (NOT_FOUND), like any restricted thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.models import AnswerTemplate, Organisation, OrganisationMembership, User
from backend.models.enums import OrganisationRole
from backend.services import organisations, personal_data, validation
from backend.services.actors import Actor
from backend.services.personal_data import Sections
from backend.services.problems import MAX_BODY
from backend.services.standing import Standing, standing_of

MAX_TITLE = 120
NO_SUCH_TEMPLATE = "No answer template has that ID."
MANAGERS = "the organisation's admins"


def may_read(standing: Standing, organisation_id: int) -> bool:
    """Its organisation's members, and platform admins."""
    return standing.is_admin or standing.member_of(organisation_id)


async def may_manage(user: User, organisation: Organisation) -> bool:
    return user.is_admin or await organisations.is_admin_of(user, organisation)


def manages(user: User, organisation_id: int, memberships: Iterable[OrganisationMembership]) -> bool:
    """`may_manage`, from the person's memberships already at hand."""
    return user.is_admin or any(
        m.organisation_id == organisation_id and m.role == OrganisationRole.ADMIN for m in memberships
    )


def _check(title: str, body: str) -> tuple[str, str, str]:
    """The title, its key and the text, every fault of them at once."""
    faults = validation.Faults()
    with faults:
        title = validation.text(title, "title", what="title", max_length=MAX_TITLE)
        # Lower-casing can lengthen a title ("İ" becomes two characters); the key must still fit.
        if len(title.lower()) > MAX_TITLE:
            raise Invalid(f"The title can be at most {MAX_TITLE} characters in small letters", field="title")
    with faults:
        body = validation.text(body, "body", what="template text", max_length=MAX_BODY, multiline=True)
    faults.raise_any()
    return title, title.lower(), body


async def create(
    actor: Actor, *, organisation_id: int, title: str, body: str, now: datetime
) -> AnswerTemplate:
    user = actor.require_user()
    faults = validation.Faults()
    with faults:
        organisation = await organisations.get_organisation(organisation_id)
    with faults:
        title, title_key, body = _check(title, body)
    faults.raise_any()
    if not await may_manage(user, organisation):
        raise Forbidden(f"Only {MANAGERS} write its answer templates.")
    template = AnswerTemplate(
        organisation=organisation,
        title=title,
        title_key=title_key,
        body=body,
        author=user,
        created_at=now,
        updated_at=now,
    )
    await _saved(template)
    return template


async def update(actor: Actor, *, template_id: int, title: str, body: str, now: datetime) -> AnswerTemplate:
    user = actor.require_user()
    template = await _managed(actor, user, template_id)
    template.title, template.title_key, template.body = _check(title, body)
    template.author_id, template.updated_at = user.id, now
    await _saved(template)
    return template


async def remove(actor: Actor, *, template_id: int) -> Organisation:
    """The template goes; responses that started from it keep their own words."""
    user = actor.require_user()
    template = await _managed(actor, user, template_id)
    await AnswerTemplate.filter(id=template.id).delete()
    return await Organisation.get(id=template.organisation_id)


async def _managed(actor: Actor, user: User, template_id: int) -> AnswerTemplate:
    """The template, once it is known the person may change it: NOT_FOUND to those who may
    not read it, FORBIDDEN to members who are not its organisation's admins."""
    template = await AnswerTemplate.get_or_none(id=template_id).select_related("organisation")
    if template is None or not may_read(await standing_of(actor), template.organisation_id):
        raise NotFound(NO_SUCH_TEMPLATE, field="answerTemplateId")
    if not await may_manage(user, template.organisation):
        raise Forbidden(f"Only {MANAGERS} change its answer templates.")
    return template


async def _saved(template: AnswerTemplate) -> None:
    try:
        async with in_transaction():
            await template.save()
    except IntegrityError:
        raise Conflict("This organisation has a template with this title already.", field="title") from None


async def _export(user: User, standing: Standing) -> Sections:
    written = await AnswerTemplate.filter(author_id=user.id).select_related("organisation").order_by("id")
    return {
        "answer_templates": [
            {
                "organisation": template.organisation.name,
                "title": template.title,
                "body": template.body,
                "written_at": personal_data.moment(template.updated_at),
            }
            for template in written
        ]
    }


async def _erase(user: User, now: datetime) -> None:
    # The template is the organisation's working words and stays; who wrote it goes.
    await AnswerTemplate.filter(author_id=user.id).update(author_id=None)


PERSONAL_DATA = personal_data.Contribution(
    name="answer templates",
    export=_export,
    erase=_erase,
    erases=("AnswerTemplate.author",),
)
