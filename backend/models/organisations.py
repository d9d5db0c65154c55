from typing import TYPE_CHECKING

from tortoise import fields

from backend.models.base import Record, by_person_or_none, of_person, part_of
from backend.models.enums import OrganisationKind, OrganisationRole

if TYPE_CHECKING:
    from backend.models.accounts import User


class Organisation(Record):
    name = fields.CharField(max_length=120)
    # Lower-cased name: two organisations may not differ only by case.
    name_key = fields.CharField(max_length=120, unique=True)
    kind = fields.CharEnumField(OrganisationKind, max_length=32)

    class Meta:
        table = "organisations"


class OrganisationMembership(Record):
    organisation: fields.ForeignKeyRelation[Organisation] = part_of("models.Organisation", "memberships")
    organisation_id: int
    user: fields.ForeignKeyRelation["User"] = of_person("organisation_memberships")
    user_id: int
    role = fields.CharEnumField(OrganisationRole, max_length=16)

    class Meta:
        table = "organisation_memberships"
        unique_together = (("organisation", "user"),)


class AnswerTemplate(Record):
    """A common answer an organisation's members start their responses from: the
    organisation's own working words, kept by its admins."""

    organisation: fields.ForeignKeyRelation[Organisation] = part_of("models.Organisation", "answer_templates")
    organisation_id: int
    title = fields.CharField(max_length=120)
    # Lower-cased title: two templates of one organisation may not differ only by case.
    title_key = fields.CharField(max_length=120)
    body = fields.TextField()
    # Who last wrote it; null once they erased their account (the template stays the organisation's).
    author: fields.ForeignKeyNullableRelation["User"] = by_person_or_none("answer_templates", indexed=True)
    author_id: int | None
    updated_at = fields.DatetimeField()

    class Meta:
        table = "answer_templates"
        unique_together = (("organisation", "title_key"),)
