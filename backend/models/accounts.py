from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models.base import Record, of_person, refers_to
from backend.models.enums import CredentialKind, DigestFrequency

if TYPE_CHECKING:
    from backend.models.areas import Area


class User(Record):
    # Stored lower-cased: addresses are case-insensitive and unique.
    email = fields.CharField(max_length=254, unique=True)
    display_name = fields.CharField(max_length=80)
    password_hash = fields.CharField(max_length=255)
    is_admin = fields.BooleanField(default=False)
    home_area: fields.ForeignKeyNullableRelation["Area"] = refers_to(
        "models.Area", False, on_delete=fields.SET_NULL, null=True
    )
    home_area_id: int | None
    skills: fields.JSONField[list[str]] = fields.JSONField(default=list)
    email_notifications = fields.BooleanField(default=True)
    task_reminders = fields.BooleanField(default=True)
    # How often the person asked for a progress digest; None until they choose, when the rung
    # they stand on decides (services/digests: weekly for volunteers and co-designers).
    digest = fields.CharEnumField(DigestFrequency, max_length=16, null=True)
    # The person's choice to be shown to the public (anonymous visitors and other residents)
    # by their initials alone; see `backend.services.names`.
    public_initials = fields.BooleanField(default=False)
    updated_at = fields.DatetimeField()
    # Set when the person erased their account: the row stays, so what they contributed in
    # public stays attributed to "a former participant", but nothing personal remains.
    erased_at = fields.DatetimeField(null=True)
    # When the person proved the address is theirs. Until then the row is no account: it only
    # holds the address that registration and sign-in mail go to (the outbox needs a recipient),
    # nobody can sign in to it, and whichever registration link is used first makes it one.
    confirmed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "users"


class Session(Record):
    """A signed-in session or API token; only a hash of the secret is kept."""

    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = of_person("sessions")
    user_id: int
    kind = fields.CharEnumField(CredentialKind, max_length=16)
    label = fields.CharField(max_length=80, null=True)
    # How the browser described itself when it signed in, so its person can tell their
    # sessions apart; cut short, as some browsers say a great deal.
    user_agent = fields.CharField(max_length=200, null=True)
    expires_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()

    class Meta:
        table = "sessions"


class MagicLinkToken(Record):
    """A single-use sign-in link, stored hashed.

    A link that answers a registration of an address nobody has confirmed yet also carries
    what the person chose; using it confirms the address and makes the account with those.
    """

    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = of_person("magic_link_tokens")
    user_id: int
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    display_name = fields.CharField(max_length=80, null=True)
    password_hash = fields.CharField(max_length=255, null=True)
    home_area: fields.ForeignKeyNullableRelation["Area"] = refers_to(
        "models.Area", False, on_delete=fields.SET_NULL, null=True
    )
    home_area_id: int | None

    class Meta:
        table = "magic_link_tokens"


class LoginAttempt(Model):
    """One attempt at an account: a password tried, or a mail asked for (backend/auth/throttle.py)."""

    id = fields.IntField(primary_key=True)
    # "password" or "mail"
    kind = fields.CharField(max_length=16)
    # A digest of the account key (every alias of the address alike), never the address itself.
    account = fields.CharField(max_length=64)
    # Who tried: a device that signed in to this account before, or else a network address.
    client = fields.CharField(max_length=80)
    known_device = fields.BooleanField()
    attempted_at = fields.DatetimeField()

    class Meta:
        table = "login_attempts"
        indexes = (("account", "kind", "client", "attempted_at"), ("client", "attempted_at"))


class KnownDevice(Model):
    """A browser that signed in to an account: others' failed attempts never hold it up."""

    id = fields.IntField(primary_key=True)
    # A digest of the secret in the browser's long-lived device cookie.
    device_hash = fields.CharField(max_length=64)
    account = fields.CharField(max_length=64)
    last_signed_in_at = fields.DatetimeField()

    class Meta:
        table = "known_devices"
        unique_together = (("device_hash", "account"),)
