"""Every kind of notification has a policy and templates that render, plain text and HTML, so
none can fail in the middle of somebody's action; delivery obeys the setting each kind's
policy names.

SAMPLES holds one context per kind, as the service that writes it would pass it. A new
kind needs its row in `notification_kinds.POLICIES`, its templates, and its sample here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from action_plan import build as build_plan
from jinja2 import Environment, UndefinedError, meta
from task_board import SATURDAY, make_task, sign_up

from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.mail.templates import render, render_html, render_letter
from backend.models import Notification, User
from backend.models.enums import Delivery, DigestFrequency, NotificationKind
from backend.services import accounts, notifications
from backend.services.actors import Actor
from backend.services.notification_kinds import POLICIES, Preference
from neighbourhood import Neighbourhood
from support import GraphQL, People, RecordingMailer

TEMPLATES = Path(__file__).resolve().parents[2] / "backend" / "mail" / "templates"

Kind = NotificationKind
TASK = {
    "task": "Litter pick along the towpath",
    "group": "Towpath Safety Group",
    "starts": "Saturday 7 March 2026, 10:00",
    "ends": "12:00",
    "place": "meet at the Mill Lane footbridge",
}
SAMPLES: dict[NotificationKind, dict[str, Any]] = {
    Kind.PROBLEM_PROPOSED: {
        "title": "Cars racing on Mill Lane at night",
        "description": "Most nights after 11pm, two or three cars race the length of the lane.",
        "category": "road safety",
        "area": "Mill Lane",
        "proposer": "Rita Resident",
        "organisation": "Northshire Police",
        "referred_by": None,
        "due": "17 March 2026",
    },
    Kind.PROPOSAL_RECEIVED: {
        "title": "Cars racing on Mill Lane at night",
        "area": "Mill Lane",
        "organisation": "Northshire Police",
        "due": "17 March 2026",
        "restricted": False,
    },
    Kind.PROBLEM_RESPONSE: {
        "title": "Cars racing on Mill Lane at night",
        "answer": "Declined",
        "author": "Pat Police",
        "organisation": "Northshire Police",
        "reason": "outside area",
        "body": "The lane is in Hillside's area; we have passed your report on.",
    },
    Kind.PROBLEM_UPDATE: {
        "title": "Cars racing on Mill Lane at night",
        "author": "Dev Coordinator",
        "organisation": None,
        "body": "Speed cameras go up next week.",
    },
    Kind.RESPONSE_OVERDUE: {
        "title": "Cars racing on Mill Lane at night",
        "area": "Mill Lane",
        "proposed": "3 March 2026",
        "due": "17 March 2026",
        "organisation": "Northshire Police",
        "escalated": True,
        "days": 14,
    },
    Kind.RESOLUTION_REVIEW: {
        "title": "Cars racing on Mill Lane at night",
        "outcome": "resolved",
        "closed_by": "Pat Police",
        "organisation": "Northshire Police",
        "summary": "Speed cameras and two road humps; no racing reported for six weeks.",
    },
    Kind.RESOLUTION_DISPUTED: {
        "title": "Cars racing on Mill Lane at night",
        "outcome": "resolved",
        "agree": 2,
        "disagree": 5,
    },
    Kind.ORGANISATION_MEMBERSHIP: {
        "organisation": "Riverside Youth Trust",
        "added_by": "Alex Admin",
        "role": "a member",
    },
    Kind.GROUP_INVITATION: {
        "group": "Towpath Safety Group",
        "area": "Riverside",
        "purpose": "Make the towpath a place people walk after dark again.",
        "invited_by": "Lee Lead",
        "role": "a member",
        "organisation": "Riverside Council",
    },
    Kind.JOIN_REQUEST: {
        "group": "Towpath Safety Group",
        "requester": "Ray Resident",
        "message": "I walk the towpath every evening and can help with the lighting survey.",
    },
    Kind.MEMBERSHIP_DECIDED: {"group": "Towpath Safety Group", "approved": True, "decided_by": "Lee Lead"},
    Kind.ACTION_OWNERSHIP_REQUEST: {
        "action": "Survey the towpath lighting",
        "description": "Walk the towpath after dark and note every lamp that is out.",
        "group": "Towpath Safety Group",
        "requested_by": "Lee Lead",
        "organisation": "Riverside Council",
        "due": "31 March 2026",
    },
    Kind.ACTION_UPDATE: {
        "action": "Survey the towpath lighting",
        "group": "Towpath Safety Group",
        "author": "Cal Council",
        "organisation": "Riverside Council",
        "status": "done",
        "note": "Eleven lamps out; repairs are booked.",
        "progress": "50%",
    },
    Kind.TASK_ASSIGNED: {**TASK, "assigned_by": "Lee Lead"},
    Kind.TASK_REMINDER: TASK,
    Kind.TASK_CHANGED: {
        **TASK,
        "before": "Friday 6 March 2026, 18:00 to 20:00, Riverside library",
        "changed_by": "Lee Lead",
    },
    Kind.TASK_CANCELLED: {
        "task": TASK["task"],
        "group": TASK["group"],
        "starts": TASK["starts"],
        "cancelled_by": "Lee Lead",
        "reason": "Storm warning for Saturday; we will set a new date.",
    },
    Kind.WAITLIST_PROMOTED: TASK,
    Kind.PROGRESS_DIGEST: {
        "frequency": "weekly",
        "since": "Monday 2 March",
        "problems": [
            {
                "title": "Cars racing on Mill Lane at night",
                "status": "in progress: response",
                "news": ["Northshire Police posted an update", "It moved to the response stage"],
                "url": "https://rungs.test/#/problems/UHJvYmxlbToy",
            },
            {
                "title": "Broken lamps on the towpath",
                "status": "accepted: analysis",
                "news": ["Riverside Council accepted it"],
                "url": "https://rungs.test/#/problems/UHJvYmxlbToz",
            },
        ],
        "groups": [
            {
                "name": "Mill Lane safer nights <& friends>",
                "news": ["Action done: Speed cushions on Mill Lane", "Nell Outsider joined"],
                "url": "https://rungs.test/#/groups/V29ya2luZ0dyb3VwOjE=",
            }
        ],
        "upcoming": [
            {
                "title": "Litter pick along the towpath",
                "when": "Saturday 7 March 2026, 10:00",
                "url": "https://rungs.test/#/tasks/Vm9sdW50ZWVyVGFzazox",
            }
        ],
        "next_step": {
            "invitation": "Join the working group Towpath Safety Group",
            "url": "https://rungs.test/#/groups/V29ya2luZ0dyb3VwOjI=",
        },
    },
    Kind.MAGIC_LINK: {"name": "Rita Resident", "minutes": 15},
    Kind.NO_ACCOUNT: {},
    Kind.CONFIRM_REGISTRATION: {"name": "Rita Resident", "hours": 24},
    Kind.ALREADY_REGISTERED: {"name": "Rita Resident", "minutes": 15},
    Kind.PASSWORD_CHANGED: {"name": "Rita Resident", "when": "3 March 2026 at 14:05 UTC"},
}

# In a template's opening comment, after "Context:", each name the template needs starts a
# line indented by two spaces ("  title: the problem's title"); deeper lines describe parts.
DOCUMENTED_NAME = re.compile(r"^  (\w+):", re.MULTILINE)


def documented_context(template: str) -> dict[str, str]:
    """The names a template's opening comment lists, each with its description."""
    source = (TEMPLATES / template).read_text()
    opening = re.match(r"\{#-?(.*?)-?#\}", source, re.DOTALL)
    assert opening is not None, f"{template} opens with no comment documenting its context"
    _, marker, context = opening.group(1).partition("Context:")
    assert marker, f"{template}'s opening comment says nothing of its context (Context: ...)"
    descriptions = re.split(DOCUMENTED_NAME, context)[1:]
    return dict(zip(descriptions[::2], (d.strip() for d in descriptions[1::2]), strict=True))


def used_context(template: str) -> set[str]:
    source = (TEMPLATES / template).read_text()
    return meta.find_undeclared_variables(Environment().parse(source))


def test_every_kind_has_a_policy() -> None:
    assert set(POLICIES) == set(NotificationKind)


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_renders_a_title_and_a_body_from_its_sample(kind: NotificationKind) -> None:
    assert kind in SAMPLES, f"no sample context for {kind.value}: add one to SAMPLES"

    template = POLICIES[kind].template
    title, body = render(template, SAMPLES[kind])

    assert title and len(title) <= 200 and "\n" not in title
    assert body
    for leftover in ("{{", "{%", "{#", "None"):
        assert leftover not in title + body, f"{template} renders {leftover!r}"


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_template_documents_exactly_the_context_it_uses(kind: NotificationKind) -> None:
    template = POLICIES[kind].template
    documented = set(documented_context(template))

    assert documented == used_context(template), template
    assert set(SAMPLES[kind]) == documented, f"the sample for {kind.value} is not what {template} needs"


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_what_a_template_calls_optional_may_be_none(kind: NotificationKind) -> None:
    policy = POLICIES[kind]
    optional = [name for name, says in documented_context(policy.template).items() if "None" in says]
    for name in optional:
        title, body = render(policy.template, {**SAMPLES[kind], name: None})
        html = render_html(policy.html_template, {**SAMPLES[kind], name: None})

        assert "None" not in title + body, f"{policy.template} prints None for {name}"
        assert "None" not in html, f"{policy.html_template} prints None for {name}"


# The HTML part


class Tags(HTMLParser):
    """The elements a piece of HTML opens and leaves open, and any it closes that were not open."""

    VOID = frozenset({"br", "meta", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.stray: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.stray.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def tags_of(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_renders_an_html_part_from_its_sample(kind: NotificationKind) -> None:
    policy = POLICIES[kind]
    assert policy.html_template == policy.template.replace(".txt", ".html")

    html = render_html(policy.html_template, SAMPLES[kind])

    assert html.startswith("<p>")
    for leftover in ("{{", "{%", "{#", "None"):
        assert leftover not in html, f"{policy.html_template} renders {leftover!r}"
    tags = tags_of(html)
    assert (tags.open, tags.stray) == ([], []), policy.html_template


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_html_part_renders_from_the_context_its_text_template_documents(kind: NotificationKind) -> None:
    policy = POLICIES[kind]
    source = (TEMPLATES / policy.html_template).read_text()

    assert source.startswith(f"{{#- The HTML part of {policy.template}")
    assert used_context(policy.html_template) <= set(documented_context(policy.template))


def test_the_html_part_escapes_what_people_wrote() -> None:
    sample = {
        **SAMPLES[Kind.PROBLEM_UPDATE],
        "title": '<script>alert("hi")</script> on Mill Lane',
        "author": "Dev <b>Coordinator</b>",
        "body": "Cameras & humps\n<img src=x onerror=alert(1)>",
    }

    html = render_html(POLICIES[Kind.PROBLEM_UPDATE].html_template, sample)

    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt; on Mill Lane" in html
    assert "Dev &lt;b&gt;Coordinator&lt;/b&gt;" in html
    assert "Cameras &amp; humps\n&lt;img src=x onerror=alert(1)&gt;" in html


def test_every_mail_shares_one_page_around_its_html_part() -> None:
    news = render_html(POLICIES[Kind.TASK_REMINDER].html_template, SAMPLES[Kind.TASK_REMINDER])

    page = render_letter(
        news,
        title="Reminder: <Litter> pick",
        link="https://rungs.test/#/tasks/VmV0",
        unsubscribe="https://rungs.test/unsubscribe/7.reminders.abc",
        turns_off="task reminders",
        preferences="https://rungs.test/#/profile",
    )

    assert page.startswith("<!DOCTYPE html>")
    assert (tags_of(page).open, tags_of(page).stray) == ([], [])
    assert news in page
    assert "<h1>Reminder: &lt;Litter&gt; pick</h1>" in page
    assert 'href="https://rungs.test/#/tasks/VmV0"' in page
    assert '<a href="https://rungs.test/unsubscribe/7.reminders.abc">Turn off task reminders</a>' in page

    account_page = render_letter(
        news,
        title="Your link",
        link=None,
        unsubscribe=None,
        turns_off=None,
        preferences="https://rungs.test/#/profile",
    )

    assert "unsubscribe" not in account_page and "Turn off" not in account_page
    assert "sent whatever your notification preferences say" in account_page


def test_a_name_missing_from_the_context_is_an_error_not_a_blank() -> None:
    sample = dict(SAMPLES[Kind.TASK_REMINDER])
    del sample["starts"]

    with pytest.raises(UndefinedError, match="starts"):
        render(POLICIES[Kind.TASK_REMINDER].template, sample)


def test_the_task_templates_read_well() -> None:
    title, body = render(POLICIES[Kind.TASK_REMINDER].template, SAMPLES[Kind.TASK_REMINDER])

    assert title == "Reminder: Litter pick along the towpath, Saturday 7 March 2026, 10:00"
    assert body.splitlines()[0] == (
        'You are down for "Litter pick along the towpath" with Towpath Safety Group: '
        "Saturday 7 March 2026, 10:00 to 12:00, meet at the Mill Lane footbridge."
    )


def test_the_digest_lists_each_problem_and_group_with_its_news() -> None:
    title, body = render(POLICIES[Kind.PROGRESS_DIGEST].template, SAMPLES[Kind.PROGRESS_DIGEST])

    assert title == "Your progress digest: news on 3 things you take part in"
    assert body == (
        "What happened since Monday 2 March:\n"
        "\n"
        "On the problems you follow\n"
        "\n"
        "Cars racing on Mill Lane at night (in progress: response)\n"
        "- Northshire Police posted an update\n"
        "- It moved to the response stage\n"
        "https://rungs.test/#/problems/UHJvYmxlbToy\n"
        "\n"
        "Broken lamps on the towpath (accepted: analysis)\n"
        "- Riverside Council accepted it\n"
        "https://rungs.test/#/problems/UHJvYmxlbToz\n"
        "\n"
        "In your working groups\n"
        "\n"
        "Mill Lane safer nights <& friends>\n"
        "- Action done: Speed cushions on Mill Lane\n"
        "- Nell Outsider joined\n"
        "https://rungs.test/#/groups/V29ya2luZ0dyb3VwOjE=\n"
        "\n"
        "Your tasks coming up\n"
        "- Litter pick along the towpath, Saturday 7 March 2026, 10:00: https://rungs.test/#/tasks/Vm9sdW50ZWVyVGFzazox\n"
        "\n"
        "A next step near you\n"
        "Join the working group Towpath Safety Group: https://rungs.test/#/groups/V29ya2luZ0dyb3VwOjI=\n"
        "\n"
        "You get this digest weekly: change how often, or turn it off, in your notification preferences."
    )


def test_the_digests_html_part_escapes_what_people_wrote() -> None:
    html = render_html(POLICIES[Kind.PROGRESS_DIGEST].html_template, SAMPLES[Kind.PROGRESS_DIGEST])

    assert "<strong>Mill Lane safer nights &lt;&amp; friends&gt;</strong>" in html
    assert "<& friends>" not in html
    assert '<a href="https://rungs.test/#/groups/V29ya2luZ0dyb3VwOjE=">' in html
    assert (
        '<a href="https://rungs.test/#/tasks/Vm9sdW50ZWVyVGFzazox">Litter pick along the towpath</a>' in html
    )


def test_account_mail_is_always_sent_and_never_listed() -> None:
    account_mail = {kind for kind, policy in POLICIES.items() if policy.preference is None}

    assert account_mail == {
        Kind.MAGIC_LINK,
        Kind.NO_ACCOUNT,
        Kind.CONFIRM_REGISTRATION,
        Kind.ALREADY_REGISTERED,
        Kind.PASSWORD_CHANGED,
    }
    assert all(not POLICIES[kind].listed and POLICIES[kind].about_the_recipient for kind in account_mail)
    assert all(policy.listed for kind, policy in POLICIES.items() if kind not in account_mail)


def test_mail_with_a_sign_in_link_expires_with_the_link() -> None:
    assert POLICIES[Kind.MAGIC_LINK].expires_after == accounts.MAGIC_LINK_LIFETIME
    assert POLICIES[Kind.ALREADY_REGISTERED].expires_after == accounts.MAGIC_LINK_LIFETIME
    assert POLICIES[Kind.NO_ACCOUNT].expires_after == accounts.MAGIC_LINK_LIFETIME
    assert POLICIES[Kind.CONFIRM_REGISTRATION].expires_after == accounts.REGISTRATION_LIFETIME


def settings_of(
    *, email: bool = True, task_reminders: bool = True, digest: DigestFrequency = DigestFrequency.WEEKLY
) -> User:
    return User(email_notifications=email, task_reminders=task_reminders, digest=digest)


def test_each_kind_is_mailed_as_the_setting_its_policy_names_allows() -> None:
    everything_off = settings_of(email=False, task_reminders=False, digest=DigestFrequency.NEVER)
    for kind, policy in POLICIES.items():
        turned_off = policy.unwanted_by(everything_off)
        if policy.preference is None:
            assert turned_off is None, kind
        else:
            assert turned_off is not None and turned_off.startswith("recipient turned"), kind
        assert policy.unwanted_by(settings_of()) is None, kind

    assert POLICIES[Kind.TASK_REMINDER].preference is Preference.TASK_REMINDERS
    assert POLICIES[Kind.PROGRESS_DIGEST].preference is Preference.DIGEST
    assert POLICIES[Kind.TASK_REMINDER].unwanted_by(settings_of(email=False)) is None
    assert POLICIES[Kind.PROGRESS_DIGEST].unwanted_by(settings_of(email=False)) is None
    assert POLICIES[Kind.PROGRESS_DIGEST].unwanted_by(settings_of(digest=DigestFrequency.DAILY)) is None


# Delivery, end to end


async def volunteer(people: People, clock: ManualClock, name: str, **preferences: Any) -> User:
    person = (await people.make(name)).user
    await accounts.update_notification_preferences(Actor(user=person), now=clock.now(), **preferences)
    return person


async def test_task_reminders_follow_their_own_setting_not_email(
    gql: GraphQL,
    neighbourhood: Neighbourhood,
    people: People,
    clock: ManualClock,
    mailer: RecordingMailer,
    sealer: Sealer,
) -> None:
    plan = await build_plan(gql, people, neighbourhood, clock)
    task = await make_task(plan)
    email_off, reminders_off = plan.ray, plan.nell
    for person, preferences in ((email_off, {"email": False}), (reminders_off, {"task_reminders": False})):
        await accounts.update_notification_preferences(
            Actor(user=person.user), now=clock.now(), **preferences
        )
        await sign_up(plan, task, person)
    clock.set(SATURDAY - timedelta(hours=24))
    await notifications.deliver_due(mailer, sealer, clock=clock)

    reminders = [letter for letter in mailer.letters if letter.subject.startswith("Reminder")]
    assert [(letter.to, letter.subject) for letter in reminders] == [
        (email_off.user.email, "Reminder: Litter pick on Mill Lane, Saturday 10 January 2026, 10:00")
    ]
    skipped = await Notification.get(
        kind=Kind.TASK_REMINDER, recipient_id=reminders_off.user.id, deliver_after=clock.now()
    )
    assert (skipped.delivery, skipped.last_error) == (Delivery.SKIPPED, "recipient turned task reminders off")


async def test_the_progress_digest_follows_its_own_setting_not_email(
    people: People, clock: ManualClock, mailer: RecordingMailer, sealer: Sealer
) -> None:
    email_off = await volunteer(people, clock, "Fay Follower", email=False, digest=DigestFrequency.DAILY)
    digest_off = await volunteer(people, clock, "Fred Follower", digest=DigestFrequency.NEVER)

    for reader in (email_off, digest_off):
        await notifications.notify(
            Kind.PROGRESS_DIGEST,
            reader,
            subject="digest",
            occurrence="2026-W10",
            now=clock.now(),
            context=SAMPLES[Kind.PROGRESS_DIGEST],
        )
    assert await notifications.deliver_due(mailer, sealer, clock=clock) == 1

    (letter,) = mailer.letters
    assert letter.to == email_off.email
    skipped = await Notification.get(recipient_id=digest_off.id)
    assert (skipped.delivery, skipped.last_error) == (
        Delivery.SKIPPED,
        "recipient turned the progress digest off",
    )
