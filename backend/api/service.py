"""What the service says of itself that clients need to show its data: the time zone its
times are shown in."""

from __future__ import annotations

import strawberry

from backend.services import configuration


@strawberry.type
class ServiceQueries:
    @strawberry.field(
        description=(
            "The IANA time zone the service shows times in (its TIME_ZONE setting), such as "
            "Europe/London. Times travel in UTC; clients show them in this zone."
        )
    )
    def time_zone(self) -> str:
        return configuration.current().time_zone.key
