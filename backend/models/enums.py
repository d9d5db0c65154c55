"""Vocabularies shared by the models, the services and the API."""

from enum import IntEnum, StrEnum, auto


class Vocabulary(StrEnum):
    """Words stored and exposed as they are spelt: each member's value is its name."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return name


class OrganisationKind(Vocabulary):
    POLICE = auto()
    COUNCIL = auto()
    HOUSING = auto()
    FIRE_AND_RESCUE = auto()
    HEALTH = auto()
    EDUCATION = auto()
    CHARITY = auto()
    COMMUNITY_GROUP = auto()
    BUSINESS = auto()
    OTHER = auto()


class OrganisationRole(Vocabulary):
    MEMBER = auto()
    ADMIN = auto()


class AreaRoleKind(Vocabulary):
    COORDINATOR = auto()
    MODERATOR = auto()


class ProblemCategory(Vocabulary):
    ANTISOCIAL_BEHAVIOUR = auto()
    DRUGS = auto()
    ROAD_SAFETY = auto()
    THEFT_AND_BURGLARY = auto()
    VIOLENCE = auto()
    ENVIRONMENT = auto()
    VULNERABILITY = auto()
    FRAUD = auto()
    OTHER = auto()


class ProblemStatus(Vocabulary):
    PROPOSED = auto()
    ACCEPTED = auto()
    DECLINED = auto()
    REFERRED = auto()
    DUPLICATE = auto()
    IN_PROGRESS = auto()
    RESOLVED = auto()
    UNRESOLVED = auto()


class SaraStage(Vocabulary):
    """Problem-solving stage (SARA) of an accepted problem."""

    SCANNING = auto()
    ANALYSIS = auto()
    RESPONSE = auto()
    ASSESSMENT = auto()


class OutcomeDirection(Vocabulary):
    """Which way a measure must move for the problem to be getting better."""

    DECREASE = auto()
    INCREASE = auto()


class ResolutionOutcome(Vocabulary):
    RESOLVED = auto()
    UNRESOLVED = auto()


class Visibility(Vocabulary):
    PUBLIC = auto()
    RESTRICTED = auto()


class ProblemInvolvement(Vocabulary):
    """How a person takes part in a problem, for their own lists of them (never stored)."""

    PROPOSED = auto()
    # Supported, and proposed by someone else (their own proposals are listed as PROPOSED).
    SUPPORTED = auto()
    # Followed, and proposed by someone else.
    FOLLOWING = auto()


class ResponseDecision(Vocabulary):
    ACCEPT = auto()
    DECLINE = auto()
    REFER = auto()
    DUPLICATE = auto()


class DeclineReason(Vocabulary):
    NOT_A_POLICING_OR_PARTNER_MATTER = auto()
    ALREADY_BEING_ADDRESSED = auto()
    INSUFFICIENT_INFORMATION = auto()
    OUTSIDE_AREA = auto()
    NO_POWERS_OR_RESOURCES = auto()
    OTHER = auto()


class DigestFrequency(Vocabulary):
    NEVER = auto()
    DAILY = auto()
    WEEKLY = auto()


class CredentialKind(Vocabulary):
    """How a session was handed out: a browser cookie, or a bearer token for an API client."""

    COOKIE = auto()
    API_TOKEN = auto()


class NotificationKind(Vocabulary):
    PROBLEM_RESPONSE = auto()
    PROBLEM_UPDATE = auto()
    RESPONSE_OVERDUE = auto()
    GROUP_INVITATION = auto()
    JOIN_REQUEST = auto()
    MEMBERSHIP_DECIDED = auto()
    ACTION_OWNERSHIP_REQUEST = auto()
    ACTION_UPDATE = auto()
    TASK_ASSIGNED = auto()
    TASK_REMINDER = auto()
    TASK_CHANGED = auto()
    TASK_CANCELLED = auto()
    WAITLIST_PROMOTED = auto()
    RESOLUTION_REVIEW = auto()
    # A closed problem reopened because more reviewers disagreed with its resolution than agreed.
    RESOLUTION_DISPUTED = auto()
    PROGRESS_DIGEST = auto()
    ORGANISATION_MEMBERSHIP = auto()
    # A proposal reached those who must answer it: at proposal, or by referral.
    PROBLEM_PROPOSED = auto()
    # The proposer's own receipt: who answers their proposal, and by when.
    PROPOSAL_RECEIVED = auto()
    # Account mail: sent by email only, never listed among a person's notifications.
    MAGIC_LINK = auto()
    PASSWORD_CHANGED = auto()
    # Asked for a sign-in link with an address that has no account.
    NO_ACCOUNT = auto()
    # Registered with a new address: the link confirms it and makes the account.
    CONFIRM_REGISTRATION = auto()
    # Registered with an address that has an account: a sign-in link instead.
    ALREADY_REGISTERED = auto()


class WorkingGroupStatus(Vocabulary):
    ACTIVE = auto()
    # The work is over: no new members, actions or tasks; the record stays readable.
    CLOSED = auto()


class JoinPolicy(Vocabulary):
    OPEN = auto()
    APPROVAL = auto()
    INVITE_ONLY = auto()


class GroupRole(Vocabulary):
    LEAD = auto()
    MEMBER = auto()


class MembershipStatus(Vocabulary):
    INVITED = auto()
    REQUESTED = auto()
    ACTIVE = auto()
    DECLINED = auto()
    LEFT = auto()


class ActionStatus(Vocabulary):
    PROPOSED = auto()
    ACTIVE = auto()
    DONE = auto()
    CANCELLED = auto()


class OwnerStatus(Vocabulary):
    """Where one owner's share of an action stands."""

    PENDING = auto()
    ACCEPTED = auto()
    DECLINED = auto()
    IN_PROGRESS = auto()
    BLOCKED = auto()
    DONE = auto()


class ParticipationRung(IntEnum):
    """The ladder of participation, lowest first: a higher rung is a larger number, so a
    person's rung in an area is the largest one their acts there reach."""

    NONE = 0
    PASSIVE = 1
    CONVERSATION = 2
    PARTICIPATION = 3
    ACTIVIST = 4
    VOLUNTEER = 5
    CO_DESIGNER = 6


class ActivityKind(Vocabulary):
    """An act of taking part, as the activity record keeps it."""

    PROPOSED = auto()
    SUPPORTED = auto()
    SUPPORT_WITHDRAWN = auto()
    FOLLOWED = auto()
    UNFOLLOWED = auto()
    COMMENTED = auto()
    RESPONDED = auto()
    UPDATE_POSTED = auto()
    # Working groups: being an active member is co-design; forming a group makes one a member.
    GROUP_FORMED = auto()
    GROUP_JOINED = auto()
    GROUP_LEFT = auto()
    ACTION_CREATED = auto()
    ACTION_PROGRESS_REPORTED = auto()
    # Outcomes: measuring whether a problem got better, closing it, and the community's verdict.
    MEASURE_DEFINED = auto()
    READING_RECORDED = auto()
    PROBLEM_CLOSED = auto()
    RESOLUTION_REVIEWED = auto()
    # Volunteer tasks: turning up is taking part in the real world; finishing the work is giving time.
    TASK_CHECKED_IN = auto()
    TASK_COMPLETED = auto()
    # Answering well: putting right the words of an official response.
    RESPONSE_CORRECTED = auto()
    # Progress digests: hearing, as often as one chose, of the work one follows or is part of.
    DIGEST_RECEIVED = auto()


class CorrectionKind(Vocabulary):
    """How an official response was put right: its text changed while the correction window
    was open, or a note added under it afterwards."""

    TEXT = auto()
    NOTE = auto()


class SubjectKind(Vocabulary):
    """What a notification is about; each kind has one rule for who may read it."""

    PROBLEM = auto()
    WORKING_GROUP = auto()
    VOLUNTEER_TASK = auto()


class Delivery(Vocabulary):
    """Where a notification's email stands."""

    PENDING = auto()
    SENDING = auto()
    SENT = auto()
    SKIPPED = auto()
    FAILED = auto()


class TaskStatus(Vocabulary):
    """Where a volunteer task stands: worked out from its slots, its times and its
    cancellation whenever it is read, never stored, so never stale."""

    OPEN = auto()
    FULL = auto()
    CANCELLED = auto()
    FINISHED = auto()


class AssignmentStatus(Vocabulary):
    """One volunteer's place on a task."""

    CONFIRMED = auto()
    WAITLISTED = auto()
    WITHDRAWN = auto()
    CHECKED_IN = auto()
    COMPLETED = auto()
    NO_SHOW = auto()
