"""Tortoise models: one module per aggregate."""

from backend.models.accounts import LoginAttempt, MagicLinkToken, Session, User
from backend.models.areas import Area, AreaRole, RoutingRule
from backend.models.notifications import Notification
from backend.models.organisations import Organisation, OrganisationMembership

__all__ = [
    "Area",
    "AreaRole",
    "LoginAttempt",
    "MagicLinkToken",
    "Notification",
    "Organisation",
    "OrganisationMembership",
    "RoutingRule",
    "Session",
    "User",
]
