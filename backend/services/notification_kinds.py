"""Every kind of notification, and the rules it follows, in one table.

For each kind: its templates (plain text, in `backend/mail/templates/`, whose opening
comment lists the context it needs, and the HTML part beside it, from the same context),
whether the notification centre lists it, how long it stays worth mailing, which of the
recipient's settings decides whether it is mailed, and whether it is about the
recipient themself rather than about something with a read rule of its own.

A kind missing from the table stops the app as it starts; a template that does not render
with its documented context fails the test suite (tests/services/test_notification_kinds.py).
So neither can first show up as an error in the middle of somebody's action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from types import MappingProxyType

from backend.models import User
from backend.models.enums import DigestFrequency, NotificationKind


class Preference(Enum):
    """The recipient's setting that decides whether a kind is mailed (the profile page's words)."""

    EMAIL = "Email me my notifications"
    TASK_REMINDERS = "Remind me before volunteer tasks I signed up for"
    DIGEST = "Progress digest: never, daily or weekly"


@dataclass(frozen=True, kw_only=True)
class KindPolicy:
    template: str
    # None: mail about the account itself, sent whatever the recipient's settings.
    preference: Preference | None
    listed: bool = True
    # Measured from when the notification was written; past it the mail is skipped, not sent late.
    expires_after: timedelta | None = None
    # Without a subject, so without a read rule: only for what concerns the recipient alone.
    about_the_recipient: bool = False
    # The HTML alternative to the plain text, from the same context.
    html_template: str

    def unwanted_by(self, recipient: User) -> str | None:
        """Why the recipient's settings keep this kind from being mailed, if they do."""
        if self.preference is Preference.EMAIL and not recipient.email_notifications:
            return "recipient turned email off"
        if self.preference is Preference.TASK_REMINDERS and not recipient.task_reminders:
            return "recipient turned task reminders off"
        # Unset (None) is no refusal: the digest was written because the rung's default applied.
        if self.preference is Preference.DIGEST and recipient.digest == DigestFrequency.NEVER:
            return "recipient turned the progress digest off"
        return None


Kind = NotificationKind
EMAIL = Preference.EMAIL

# A sign-in link is worth nothing once it has expired (see accounts.MAGIC_LINK_LIFETIME and
# REGISTRATION_LIFETIME), so its mail is skipped rather than sent late. The answer to a link
# request for an address without an account ages like the link would have.
LINK_LIFETIME = timedelta(minutes=15)
REGISTRATION_LINK_LIFETIME = timedelta(hours=24)


def _account_mail(name: str, *, expires_after: timedelta | None = None) -> KindPolicy:
    """Mail about the recipient's own account: sent whatever their settings, never listed.
    Nothing turns it off, so it carries no unsubscribe link: a sign-in link, or the news
    that the password changed, must reach its owner whatever they chose."""
    return KindPolicy(
        template=f"{name}.txt",
        html_template=f"{name}.html",
        preference=None,
        listed=False,
        expires_after=expires_after,
        about_the_recipient=True,
    )


def _by_email(*kinds: NotificationKind) -> dict[NotificationKind, KindPolicy]:
    """Kinds mailed unless the recipient turned email off, each with the templates of its name."""
    return {
        kind: KindPolicy(
            template=f"{kind.value.lower()}.txt", html_template=f"{kind.value.lower()}.html", preference=EMAIL
        )
        for kind in kinds
    }


POLICIES: Mapping[NotificationKind, KindPolicy] = MappingProxyType(
    {
        # Problems and the answers they are owed.
        **_by_email(
            Kind.PROBLEM_PROPOSED,
            Kind.PROPOSAL_RECEIVED,
            Kind.PROBLEM_RESPONSE,
            Kind.PROBLEM_UPDATE,
            Kind.RESPONSE_OVERDUE,
            Kind.RESOLUTION_REVIEW,
            Kind.RESOLUTION_DISPUTED,
        ),
        # Organisations and working groups.
        Kind.ORGANISATION_MEMBERSHIP: KindPolicy(
            template="organisation_membership.txt",
            html_template="organisation_membership.html",
            preference=EMAIL,
            about_the_recipient=True,
        ),
        **_by_email(Kind.GROUP_INVITATION, Kind.JOIN_REQUEST, Kind.MEMBERSHIP_DECIDED),
        # Actions and volunteer tasks.
        **_by_email(Kind.ACTION_OWNERSHIP_REQUEST, Kind.ACTION_UPDATE, Kind.TASK_ASSIGNED),
        Kind.TASK_REMINDER: KindPolicy(
            template="task_reminder.txt",
            html_template="task_reminder.html",
            preference=Preference.TASK_REMINDERS,
        ),
        **_by_email(Kind.TASK_CHANGED, Kind.TASK_CANCELLED, Kind.WAITLIST_PROMOTED),
        # The recipient's own summary: each problem and group in it must be one they may read,
        # which is checked line by line as it is composed, since no one subject covers them all.
        # Written only for those whose frequency (chosen, or by rung) is daily or weekly.
        Kind.PROGRESS_DIGEST: KindPolicy(
            template="progress_digest.txt",
            html_template="progress_digest.html",
            preference=Preference.DIGEST,
            about_the_recipient=True,
        ),
        # Mail about the account itself.
        Kind.MAGIC_LINK: _account_mail("magic_link", expires_after=LINK_LIFETIME),
        Kind.NO_ACCOUNT: _account_mail("no_account", expires_after=LINK_LIFETIME),
        Kind.CONFIRM_REGISTRATION: _account_mail(
            "confirm_registration", expires_after=REGISTRATION_LINK_LIFETIME
        ),
        Kind.ALREADY_REGISTERED: _account_mail("already_registered", expires_after=LINK_LIFETIME),
        Kind.PASSWORD_CHANGED: _account_mail("password_changed"),
    }
)

_without_policy = sorted(set(NotificationKind) - POLICIES.keys())
if _without_policy:
    raise RuntimeError(f"these notification kinds need a row in POLICIES: {', '.join(_without_policy)}")
