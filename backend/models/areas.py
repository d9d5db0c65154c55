from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models.base import Record, of_person, part_of, refers_to
from backend.models.enums import AreaRoleKind, ProblemCategory

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.organisations import Organisation

# An id of up to eleven characters, a slash, and a name of up to 120 in small letters.
SIBLING_KEY_LENGTH = 132


def sibling_key(parent_id: int | None, name: str) -> str:
    """What two areas under one parent may not share: their names, whatever the case."""
    return f"{parent_id or ''}/{name.lower()}"


def neighbourhood_path(path: str) -> str:
    """The path that takes in the areas near one ("/1/4/" for "/1/4/9/"): those inside the
    area above it, or inside the area itself at the top. Digests and next steps both look
    for what is near a person's home this way."""
    parts = [part for part in path.strip("/").split("/") if part]
    return "/" + "".join(f"{part}/" for part in parts[:-1]) if len(parts) > 1 else path


class Area(Record):
    name = fields.CharField(max_length=120)
    # The parent's id and the lower-cased name ("4/riverside"; "/northshire" at the top): two
    # areas under one parent may not differ only by case. One column rather than a unique
    # (parent, name): NULL parents never collide, so top-level areas would escape it.
    sibling_key = fields.CharField(max_length=SIBLING_KEY_LENGTH, unique=True)
    slug = fields.CharField(max_length=80, unique=True)
    parent: fields.ForeignKeyNullableRelation["Area"] = refers_to(
        "models.Area", "children", on_delete=fields.RESTRICT, indexed=True, null=True
    )
    parent_id: int | None
    # Materialised path of ids ("/1/4/9/"): descendants are one indexed LIKE away.
    path = fields.CharField(max_length=512, db_index=True)
    # Null: inherited from the parent area (or the platform default at the root).
    response_days = fields.IntField(null=True)

    class Meta:
        table = "areas"

    @property
    def ancestor_ids(self) -> list[int]:
        """This area's id and its ancestors', nearest first."""
        return [int(part) for part in reversed(self.path.strip("/").split("/")) if part]


class AreaRole(Record):
    area: fields.ForeignKeyRelation[Area] = part_of("models.Area", "roles")
    area_id: int
    user: fields.ForeignKeyRelation["User"] = of_person("area_roles")
    user_id: int
    role = fields.CharEnumField(AreaRoleKind, max_length=16)

    class Meta:
        table = "area_roles"
        unique_together = (("area", "user", "role"),)


class RoutingRule(Model):
    """Proposals of a category in an area are owned by one organisation."""

    id = fields.IntField(primary_key=True)
    area: fields.ForeignKeyRelation[Area] = part_of("models.Area", "routing_rules")
    area_id: int
    category = fields.CharEnumField(ProblemCategory, max_length=32)
    organisation: fields.ForeignKeyRelation["Organisation"] = refers_to(
        "models.Organisation", "routing_rules", indexed=True
    )
    organisation_id: int
    updated_at = fields.DatetimeField()

    class Meta:
        table = "routing_rules"
        unique_together = (("area", "category"),)
