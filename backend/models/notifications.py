from typing import TYPE_CHECKING

from tortoise import fields

from backend.models.base import Record, by_person_or_none, refers_to
from backend.models.enums import Delivery, NotificationKind, SubjectKind

if TYPE_CHECKING:
    from backend.models.accounts import User


class Notification(Record):
    """The outbox: written with the change that causes it, delivered by the worker.

    `dedupe_key` (kind, recipient, subject, occurrence) is unique, so the same
    event never produces two notifications, however often its cause is retried.
    """

    kind = fields.CharEnumField(NotificationKind, max_length=40)
    recipient: fields.ForeignKeyRelation["User"] = refers_to(
        "models.User", "notifications", on_delete=fields.CASCADE
    )
    recipient_id: int
    dedupe_key = fields.CharField(max_length=255, unique=True)
    # What it is about: only those who may read that receive it, checked when it is
    # written and again when it is delivered. Empty for mail about the account itself.
    subject_type = fields.CharEnumField(SubjectKind, max_length=32, null=True)
    subject_id = fields.IntField(null=True)
    # Whose doing it was, when it names them: erasure takes their name out of it.
    actor: fields.ForeignKeyNullableRelation["User"] = by_person_or_none(indexed=True)
    actor_id: int | None
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    # The mail's HTML part, from the kind's HTML template; the page around it and the links
    # are added as it goes out. Empty for notifications written before mail had one.
    html = fields.TextField(null=True)
    url = fields.CharField(max_length=500, null=True)
    # A link that must not be readable from the database (a sign-in link), encrypted
    # with the secret key until it is mailed, then erased.
    sealed_link = fields.TextField(null=True)
    listed = fields.BooleanField(default=True)
    read_at = fields.DatetimeField(null=True)
    # When the notification centre lists it: when it was written, or for one written ahead (a
    # reminder) the moment it is for. Never moved, unlike `deliver_after`, which a failed
    # send pushes back.
    listed_from = fields.DatetimeField()
    deliver_after = fields.DatetimeField()
    delivery = fields.CharEnumField(Delivery, max_length=16, default=Delivery.PENDING)
    # A claim on the send that lapses, so a worker that dies mid-send does not strand it.
    claimed_until = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "notifications"
        indexes = (("delivery", "deliver_after"), ("recipient", "listed_from"))
