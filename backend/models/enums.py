"""Vocabularies shared by the models, the services and the API."""

from enum import IntEnum, StrEnum


class OrganisationKind(StrEnum):
    POLICE = "POLICE"
    COUNCIL = "COUNCIL"
    HOUSING = "HOUSING"
    FIRE_AND_RESCUE = "FIRE_AND_RESCUE"
    HEALTH = "HEALTH"
    EDUCATION = "EDUCATION"
    CHARITY = "CHARITY"
    COMMUNITY_GROUP = "COMMUNITY_GROUP"
    BUSINESS = "BUSINESS"
    OTHER = "OTHER"


class OrganisationRole(StrEnum):
    MEMBER = "MEMBER"
    ADMIN = "ADMIN"


class AreaRoleKind(StrEnum):
    COORDINATOR = "COORDINATOR"
    MODERATOR = "MODERATOR"


class ProblemCategory(StrEnum):
    ANTISOCIAL_BEHAVIOUR = "ANTISOCIAL_BEHAVIOUR"
    DRUGS = "DRUGS"
    ROAD_SAFETY = "ROAD_SAFETY"
    THEFT_AND_BURGLARY = "THEFT_AND_BURGLARY"
    VIOLENCE = "VIOLENCE"
    ENVIRONMENT = "ENVIRONMENT"
    VULNERABILITY = "VULNERABILITY"
    FRAUD = "FRAUD"
    OTHER = "OTHER"


class ProblemStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    REFERRED = "REFERRED"
    DUPLICATE = "DUPLICATE"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    UNRESOLVED = "UNRESOLVED"


class SaraStage(StrEnum):
    """Problem-solving stage (SARA) of an accepted problem."""

    SCANNING = "SCANNING"
    ANALYSIS = "ANALYSIS"
    RESPONSE = "RESPONSE"
    ASSESSMENT = "ASSESSMENT"


class OutcomeDirection(StrEnum):
    """Which way a measure must move for the problem to be getting better."""

    DECREASE = "DECREASE"
    INCREASE = "INCREASE"


class ResolutionOutcome(StrEnum):
    RESOLVED = "RESOLVED"
    UNRESOLVED = "UNRESOLVED"


class Visibility(StrEnum):
    PUBLIC = "PUBLIC"
    RESTRICTED = "RESTRICTED"


class ResponseDecision(StrEnum):
    ACCEPT = "ACCEPT"
    DECLINE = "DECLINE"
    REFER = "REFER"
    DUPLICATE = "DUPLICATE"


class DeclineReason(StrEnum):
    NOT_A_POLICING_OR_PARTNER_MATTER = "NOT_A_POLICING_OR_PARTNER_MATTER"
    ALREADY_BEING_ADDRESSED = "ALREADY_BEING_ADDRESSED"
    INSUFFICIENT_INFORMATION = "INSUFFICIENT_INFORMATION"
    OUTSIDE_AREA = "OUTSIDE_AREA"
    NO_POWERS_OR_RESOURCES = "NO_POWERS_OR_RESOURCES"
    OTHER = "OTHER"


class DigestFrequency(StrEnum):
    NEVER = "NEVER"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"


class CredentialKind(StrEnum):
    """How a session was handed out: a browser cookie, or a bearer token for an API client."""

    COOKIE = "COOKIE"
    API_TOKEN = "API_TOKEN"


class NotificationKind(StrEnum):
    PROBLEM_RESPONSE = "PROBLEM_RESPONSE"
    PROBLEM_UPDATE = "PROBLEM_UPDATE"
    RESPONSE_OVERDUE = "RESPONSE_OVERDUE"
    GROUP_INVITATION = "GROUP_INVITATION"
    JOIN_REQUEST = "JOIN_REQUEST"
    MEMBERSHIP_DECIDED = "MEMBERSHIP_DECIDED"
    ACTION_OWNERSHIP_REQUEST = "ACTION_OWNERSHIP_REQUEST"
    ACTION_UPDATE = "ACTION_UPDATE"
    TASK_ASSIGNED = "TASK_ASSIGNED"
    TASK_REMINDER = "TASK_REMINDER"
    TASK_CHANGED = "TASK_CHANGED"
    TASK_CANCELLED = "TASK_CANCELLED"
    WAITLIST_PROMOTED = "WAITLIST_PROMOTED"
    RESOLUTION_REVIEW = "RESOLUTION_REVIEW"
    # A closed problem reopened because more reviewers disagreed with its resolution than agreed.
    RESOLUTION_DISPUTED = "RESOLUTION_DISPUTED"
    PROGRESS_DIGEST = "PROGRESS_DIGEST"
    ORGANISATION_MEMBERSHIP = "ORGANISATION_MEMBERSHIP"
    # A proposal reached those who must answer it: at proposal, or by referral.
    PROBLEM_PROPOSED = "PROBLEM_PROPOSED"
    # Account mail: sent by email only, never listed among a person's notifications.
    MAGIC_LINK = "MAGIC_LINK"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    # Asked for a sign-in link with an address that has no account.
    NO_ACCOUNT = "NO_ACCOUNT"
    # Registered with a new address: the link confirms it and makes the account.
    CONFIRM_REGISTRATION = "CONFIRM_REGISTRATION"
    # Registered with an address that has an account: a sign-in link instead.
    ALREADY_REGISTERED = "ALREADY_REGISTERED"


class WorkingGroupStatus(StrEnum):
    ACTIVE = "ACTIVE"
    # The work is over: no new members, actions or tasks; the record stays readable.
    CLOSED = "CLOSED"


class JoinPolicy(StrEnum):
    OPEN = "OPEN"
    APPROVAL = "APPROVAL"
    INVITE_ONLY = "INVITE_ONLY"


class GroupRole(StrEnum):
    LEAD = "LEAD"
    MEMBER = "MEMBER"


class MembershipStatus(StrEnum):
    INVITED = "INVITED"
    REQUESTED = "REQUESTED"
    ACTIVE = "ACTIVE"
    DECLINED = "DECLINED"
    LEFT = "LEFT"


class ActionStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ACTIVE = "ACTIVE"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class OwnerStatus(StrEnum):
    """Where one owner's share of an action stands."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    IN_PROGRESS = "IN_PROGRESS"
    BLOCKED = "BLOCKED"
    DONE = "DONE"


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


class ActivityKind(StrEnum):
    """An act of taking part, as the activity record keeps it."""

    PROPOSED = "PROPOSED"
    SUPPORTED = "SUPPORTED"
    SUPPORT_WITHDRAWN = "SUPPORT_WITHDRAWN"
    FOLLOWED = "FOLLOWED"
    UNFOLLOWED = "UNFOLLOWED"
    COMMENTED = "COMMENTED"
    RESPONDED = "RESPONDED"
    UPDATE_POSTED = "UPDATE_POSTED"
    # Working groups: being an active member is co-design; forming a group makes one a member.
    GROUP_FORMED = "GROUP_FORMED"
    GROUP_JOINED = "GROUP_JOINED"
    GROUP_LEFT = "GROUP_LEFT"
    ACTION_CREATED = "ACTION_CREATED"
    ACTION_PROGRESS_REPORTED = "ACTION_PROGRESS_REPORTED"
    # Outcomes: measuring whether a problem got better, closing it, and the community's verdict.
    MEASURE_DEFINED = "MEASURE_DEFINED"
    READING_RECORDED = "READING_RECORDED"
    PROBLEM_CLOSED = "PROBLEM_CLOSED"
    RESOLUTION_REVIEWED = "RESOLUTION_REVIEWED"


class SubjectKind(StrEnum):
    """What a notification is about; each kind has one rule for who may read it."""

    PROBLEM = "PROBLEM"
    WORKING_GROUP = "WORKING_GROUP"


class Delivery(StrEnum):
    """Where a notification's email stands."""

    PENDING = "PENDING"
    SENDING = "SENDING"
    SENT = "SENT"
    SKIPPED = "SKIPPED"
    FAILED = "FAILED"
