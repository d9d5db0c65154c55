from tortoise import fields
from tortoise.models import Model

from backend.models.enums import OrganisationKind, OrganisationRole


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    # Lower-cased name: two organisations may not differ only by case.
    name_key = fields.CharField(max_length=120, unique=True)
    kind = fields.CharEnumField(OrganisationKind, max_length=32)
    created_at = fields.DatetimeField()

    class Meta:
        table = "organisations"


class OrganisationMembership(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="memberships", on_delete=fields.CASCADE
    )
    organisation_id: int
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User",
        related_name="organisation_memberships",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    user_id: int
    role = fields.CharEnumField(OrganisationRole, max_length=16)
    created_at = fields.DatetimeField()

    class Meta:
        table = "organisation_memberships"
        unique_together = (("organisation", "user"),)
