"""The demo's people: who they are, whom they work for, what they coordinate and where they
live, and the addresses the demo's stories name them by."""

from __future__ import annotations

from backend.models.enums import OrganisationRole

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
    ("Grace Liu", "grace.liu@resident.demo", None, None),
    ("Bill Turner", "bill.turner@resident.demo", None, None),
    ("Amira Haddad", "amira.haddad@resident.demo", None, None),
]
# Where people live, when it is not Riverside.
HOMES = {"grace.liu@resident.demo": "Kingsbridge Central"}

PRIYA = "priya.shah@police.demo"
TOM = "tom.reed@police.demo"
DANA = "dana.okafor@council.demo"
LEE = "lee.marsh@homes.demo"
RUTH = "ruth.byrne@youthtrust.demo"
SAM = "sam.patel@resident.demo"
KOFI = "kofi.mensah@resident.demo"
GRACE = "grace.liu@resident.demo"
BILL = "bill.turner@resident.demo"
AMIRA = "amira.haddad@resident.demo"
