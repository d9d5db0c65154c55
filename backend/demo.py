"""`rungs demo-data`: a demo force with areas, organisations and people, made through the services."""

from __future__ import annotations

from datetime import datetime

from backend.models import Area, User
from backend.models.enums import AreaRoleKind, OrganisationKind, OrganisationRole, ProblemCategory
from backend.services import accounts, areas, organisations
from backend.services.actors import Actor

DEMO_PASSWORD = "rungs-demo-password"

AREAS = {
    "Northshire": ["Kingsbridge", "Harrowgate"],
    "Kingsbridge": ["Kingsbridge Central", "Riverside", "Old Town"],
    "Harrowgate": ["Harrowgate North", "Millfield"],
}
ORGANISATIONS = [
    ("Northshire Police", OrganisationKind.POLICE),
    ("Kingsbridge Borough Council", OrganisationKind.COUNCIL),
    ("Northshire Homes", OrganisationKind.HOUSING),
    ("Northshire Fire and Rescue", OrganisationKind.FIRE_AND_RESCUE),
    ("Riverside Youth Trust", OrganisationKind.CHARITY),
]
# (name, email, organisation and role, coordinated area)
PEOPLE = [
    (
        "Sgt Priya Shah",
        "priya.shah@police.demo",
        ("Northshire Police", OrganisationRole.ADMIN),
        "Kingsbridge",
    ),
    ("PCSO Tom Reed", "tom.reed@police.demo", ("Northshire Police", OrganisationRole.MEMBER), None),
    (
        "Dana Okafor",
        "dana.okafor@council.demo",
        ("Kingsbridge Borough Council", OrganisationRole.ADMIN),
        None,
    ),
    ("Lee Marsh", "lee.marsh@homes.demo", ("Northshire Homes", OrganisationRole.MEMBER), None),
    (
        "Ruth Byrne",
        "ruth.byrne@youthtrust.demo",
        ("Riverside Youth Trust", OrganisationRole.ADMIN),
        None,
    ),
    ("Sam Patel", "sam.patel@resident.demo", None, None),
    ("Maggie Doyle", "maggie.doyle@resident.demo", None, None),
    ("Kofi Mensah", "kofi.mensah@resident.demo", None, None),
]
ROUTING = [
    ("Northshire", ProblemCategory.ANTISOCIAL_BEHAVIOUR, "Northshire Police"),
    ("Northshire", ProblemCategory.DRUGS, "Northshire Police"),
    ("Northshire", ProblemCategory.ROAD_SAFETY, "Northshire Police"),
    ("Northshire", ProblemCategory.THEFT_AND_BURGLARY, "Northshire Police"),
    ("Northshire", ProblemCategory.VIOLENCE, "Northshire Police"),
    ("Northshire", ProblemCategory.FRAUD, "Northshire Police"),
    ("Kingsbridge", ProblemCategory.ENVIRONMENT, "Kingsbridge Borough Council"),
    ("Riverside", ProblemCategory.VULNERABILITY, "Riverside Youth Trust"),
]


async def seed(*, now: datetime) -> str:
    if await Area.exists(slug="northshire"):
        return "The demo data is there already."
    admin = await accounts.create_admin(
        email="admin@rungs.demo", password=DEMO_PASSWORD, display_name="Alex Admin", now=now
    )
    actor = Actor(user=admin)
    made: dict[str, Area] = {}
    made["Northshire"] = await areas.create_area(actor, name="Northshire", response_days=14, now=now)
    for parent, children in AREAS.items():
        for child in children:
            made[child] = await areas.create_area(actor, name=child, parent_id=made[parent].id, now=now)
    orgs = {
        name: await organisations.create_organisation(actor, name=name, kind=kind, now=now)
        for name, kind in ORGANISATIONS
    }
    for name, email, membership, coordinates in PEOPLE:
        signed_in = await accounts.register(
            Actor(),
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            home_area_id=made["Riverside"].id,
            now=now,
        )
        if membership is not None:
            organisation, role = membership
            await organisations.add_member(
                actor, organisation_id=orgs[organisation].id, email=email, role=role, now=now
            )
        if coordinates is not None:
            await areas.assign_area_role(
                actor,
                area_id=made[coordinates].id,
                user_id=signed_in.user.id,
                role=AreaRoleKind.COORDINATOR,
                now=now,
            )
    for area, category, organisation in ROUTING:
        await areas.set_routing_rule(
            actor,
            area_id=made[area].id,
            category=category,
            organisation_id=orgs[organisation].id,
            now=now,
        )
    people = await User.all().count()
    return (
        f"Demo data: {len(made)} areas, {len(orgs)} organisations, {people} people.\n"
        f"Sign in as admin@rungs.demo (platform admin), priya.shah@police.demo (police, coordinator "
        f"of Kingsbridge) or sam.patel@resident.demo (resident); every demo password is {DEMO_PASSWORD!r}."
    )
