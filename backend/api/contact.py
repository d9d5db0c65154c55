"""How to reach whoever runs this Rungs: the contact page's details, from the settings."""

from __future__ import annotations

import strawberry

from backend.api.context import Info


@strawberry.type(description="How to reach whoever runs this Rungs; each detail is null when not configured.")
class ContactDetails:
    operator: str = strawberry.field(description="Who runs the service (CONTACT_OPERATOR).")
    email: str | None = strawberry.field(description="CONTACT_EMAIL.")
    phone: str | None = strawberry.field(description="CONTACT_PHONE.")
    address: str | None = strawberry.field(description="A postal address, lines apart (CONTACT_ADDRESS).")


@strawberry.type
class ContactQueries:
    @strawberry.field(description="For the contact page: anyone may read it.")
    def contact_details(self, info: Info) -> ContactDetails:
        contact = info.context.settings.contact
        return ContactDetails(
            operator=contact.operator, email=contact.email, phone=contact.phone, address=contact.address
        )
