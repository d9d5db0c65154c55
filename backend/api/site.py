"""What the web interface (and any client) learns about this installation: the force's own
words on emergencies and crimes, and where maps get their tiles. Read from the settings,
the same for everyone."""

from __future__ import annotations

import strawberry

from backend.api.context import Info
from backend.api.problems import GeoPoint
from backend.settings import Guidance, MapSettings


@strawberry.type(description="Where this installation's maps come from and where they start.")
class SiteMap:
    tile_url: str = strawberry.field(
        description="The tile address, with {z}, {x} and {y} (and {s} for a host's letter)."
    )
    attribution: str = strawberry.field(description="The credit shown on every map, as plain text.")
    attribution_url: str | None = strawberry.field(description="Where the credit links to.")
    centre: GeoPoint = strawberry.field(
        description="Where a map starts when nothing on it says where to look."
    )
    zoom: int
    geocoding_url: str | None = strawberry.field(
        description=(
            "An address search the browser may ask, with {query}, answering as Nominatim does; "
            "null when none is configured (then no address search is offered)."
        )
    )

    @classmethod
    def of(cls, settings: MapSettings) -> SiteMap | None:
        if settings.tile_url is None:
            return None
        latitude, longitude = settings.centre
        return cls(
            tile_url=settings.tile_url,
            attribution=settings.attribution,
            attribution_url=settings.attribution_url,
            centre=GeoPoint(latitude=latitude, longitude=longitude),
            zoom=settings.zoom,
            geocoding_url=settings.geocoding_url,
        )


@strawberry.type
class Site:
    emergency_guidance: str = strawberry.field(
        description=(
            "What to do instead of proposing, in an emergency or to report a crime: the force's own words."
        )
    )
    crime_report_url: str | None = strawberry.field(
        description="The force's page for reporting a crime online."
    )
    map: SiteMap | None = strawberry.field(description="Null when this installation shows no maps.")

    @classmethod
    def of(cls, guidance: Guidance, map_settings: MapSettings) -> Site:
        return cls(
            emergency_guidance=guidance.emergency,
            crime_report_url=guidance.crime_report_url,
            map=SiteMap.of(map_settings),
        )


@strawberry.type
class SiteQueries:
    @strawberry.field(description="What the web interface needs to know about this installation.")
    def site(self, info: Info) -> Site:
        settings = info.context.settings
        return Site.of(settings.guidance, settings.map)
