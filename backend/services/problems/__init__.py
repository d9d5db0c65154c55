"""Problems: proposals, and the presumption that every one gets an official response."""

from backend.services.problems.responding import *  # noqa: F403
