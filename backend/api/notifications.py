from __future__ import annotations

from datetime import datetime

import strawberry

from backend import ids, models
from backend.api.accounts import ViewerPayload, viewer_outcome
from backend.api.context import Info
from backend.api.enums import DigestFrequency, NotificationKind
from backend.api.node import Node, fetches_node, node_id
from backend.api.objects import copied
from backend.api.pagination import Connection, paginate
from backend.services import accounts, configuration, digests, notifications


@strawberry.type
class Notification(Node):
    kind: NotificationKind
    title: str
    body: str
    url: str | None
    created_at: datetime = strawberry.field(
        description="When it reached the notification centre: for a reminder, the moment it is for."
    )
    read_at: datetime | None

    @classmethod
    def of(cls, notification: models.Notification) -> Notification:
        return copied(
            cls,
            notification,
            id=node_id("Notification", notification.id),
            url=configuration.address(notification.url),
            created_at=notification.listed_from,
        )


@fetches_node("Notification")
async def fetch_notification(info: Info, pk: int) -> Notification | None:
    """A notification exists only for its recipient."""
    user = info.context.actor.user
    if user is None:
        return None
    notification = await (await notifications.listed_for(user, now=info.context.now)).get_or_none(id=pk)
    return Notification.of(notification) if notification else None


async def notification_connection(
    user: models.User, unread_only: bool, first: int | None, after: str | None, *, now: datetime
) -> Connection[Notification]:
    # Newest first by the moment each reached the centre: a reminder written days ago comes
    # in at the top when it is due.
    page = await paginate(
        await notifications.listed_for(user, now=now, unread_only=unread_only),
        keys=("listed_from", "id"),
        first=first,
        after=after,
        descending=True,
    )
    return Connection.of(page, Notification.of)


@strawberry.type
class NotificationPreferences:
    email: bool
    task_reminders: bool
    user: strawberry.Private[models.User]

    @strawberry.field
    async def digest(self, info: Info) -> DigestFrequency:
        # As the person chose; until they choose, what their rung gives them.
        return await digests.frequency_of(self.user, now=info.context.now)

    @classmethod
    def of(cls, user: models.User) -> NotificationPreferences:
        return cls(email=user.email_notifications, task_reminders=user.task_reminders, user=user)


@strawberry.input
class UpdateNotificationPreferencesInput:
    email: bool | None = None
    task_reminders: bool | None = None
    digest: DigestFrequency | None = None


@strawberry.input
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Empty or omitted: all of the viewer's notifications."
    )


@strawberry.type
class NotificationMutations:
    update_notification_preferences = viewer_outcome.mutation(
        accounts.update_notification_preferences, UpdateNotificationPreferencesInput
    )

    @strawberry.mutation
    async def mark_notifications_read(self, info: Info, input: MarkNotificationsReadInput) -> ViewerPayload:
        return await viewer_outcome(
            info,
            lambda actor, now: notifications.mark_read(
                actor, [ids.decode(i, "Notification", "ids") for i in input.ids or []], now=now
            ),
        )
