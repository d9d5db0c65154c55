from tortoise import fields
from tortoise.models import Model

from backend.models.enums import CredentialKind, DigestFrequency


class User(Model):
    id = fields.IntField(primary_key=True)
    # Stored lower-cased: addresses are case-insensitive and unique.
    email = fields.CharField(max_length=254, unique=True)
    display_name = fields.CharField(max_length=80)
    password_hash = fields.CharField(max_length=255)
    is_admin = fields.BooleanField(default=False)
    home_area: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Area", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    home_area_id: int | None
    skills: fields.JSONField[list[str]] = fields.JSONField(default=list)
    email_notifications = fields.BooleanField(default=True)
    task_reminders = fields.BooleanField(default=True)
    digest = fields.CharEnumField(DigestFrequency, max_length=16, default=DigestFrequency.WEEKLY)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    # Set when the person erased their account: the row stays, so what they contributed in
    # public stays attributed to "a former participant", but nothing personal remains.
    erased_at = fields.DatetimeField(null=True)

    class Meta:
        table = "users"


class Session(Model):
    """A signed-in session or API token; only a hash of the secret is kept."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE, db_index=True
    )
    user_id: int
    kind = fields.CharEnumField(CredentialKind, max_length=16)
    label = fields.CharField(max_length=80, null=True)
    # How the browser described itself when it signed in, so its person can tell their
    # sessions apart; cut short, as some browsers say a great deal.
    user_agent = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()

    class Meta:
        table = "sessions"


class MagicLinkToken(Model):
    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="magic_link_tokens", on_delete=fields.CASCADE, db_index=True
    )
    user_id: int
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "magic_link_tokens"


class LoginAttempt(Model):
    """One attempt to sign in, counted per account (every alias) and per client."""

    id = fields.IntField(primary_key=True)
    scope = fields.CharField(max_length=16)
    key = fields.CharField(max_length=320)
    attempted_at = fields.DatetimeField()

    class Meta:
        table = "login_attempts"
        indexes = (("scope", "key", "attempted_at"),)
