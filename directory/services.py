"""What the directory holds about one service: its record, its tags, when and where it runs, and its phones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from directory.errors import InvalidPhoneNumber
from directory.models import Address, Attribute, Location, Phone, Schedule, Service, ServiceAtLocation, TaxonomyTerm
from directory.phones import sms_link, tel_link
from directory.schedules import ScheduleRule, describe_rule


@dataclass(frozen=True)
class ServiceDetails:
    """One service's record, with what "what happens there?" needs from the other tables."""

    service: Service
    tags: list[str]
    schedule: str  # "" when no opening times are listed
    address: str | None
    phone: str | None  # the number as written
    tel: str | None
    sms: str | None


def service_details(session: Session, service_id: str) -> ServiceDetails | None:
    """Everything the details of a service show, or None when it is not in the directory."""
    service = session.get(Service, service_id)
    if service is None:
        return None
    tags = service_tags(session, service_id)
    venue_ids = list(
        session.scalars(select(ServiceAtLocation.id).where(ServiceAtLocation.service_id == service_id)).all()
    )
    address = address_text(session, service_id)
    phone, tel, sms = phone_links(session, service_id)
    schedule = schedule_text(session, service_id, venue_ids)
    return ServiceDetails(service, tags, schedule, address, phone, tel, sms)


def service_tags(session: Session, service_id: str) -> list[str]:
    """The perinatal taxonomy codes attached to a service."""
    query = (
        select(TaxonomyTerm.code)
        .join(Attribute, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(Attribute.link_entity == "service", Attribute.link_id == service_id)
    )
    return sorted({code for code in session.scalars(query) if code})


def schedule_text(session: Session, service_id: str, venue_ids: list[str]) -> str:
    """When it runs, in words: the data's own description of each rule, else the rule described ("" if none)."""
    rows = session.scalars(
        select(Schedule).where(
            or_(Schedule.service_id == service_id, Schedule.service_at_location_id.in_(venue_ids or [""]))
        )
    ).all()
    lines: list[str] = []
    for row in sorted(rows, key=lambda r: (str(r.valid_from or ""), str(r.opens_at or ""), r.id)):
        try:
            line = (row.description or "").strip() or describe_rule(ScheduleRule.from_row(row))
        except ValueError:
            line = (row.description or "").strip()
        if line:
            lines.append(line)
    return "; ".join(dict.fromkeys(lines))


def address_text(session: Session, service_id: str) -> str | None:
    """The first physical address where the service runs, as a short line; never more than a postcode district."""
    query = (
        select(Address)
        .join(Location, Location.id == Address.location_id)
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
        .where(
            ServiceAtLocation.service_id == service_id,
            or_(Location.location_type != "virtual", Location.location_type.is_(None)),
        )
        .order_by(Address.id)
    )
    address = session.scalars(query).first()
    if address is None:
        return None
    parts = [address.address_1 or ""]
    if address.city and address.city not in parts[0]:
        parts.append(address.city)
    line = ", ".join(part for part in parts if part)
    return f"{line} {address.postal_code}".strip() if address.postal_code else line or None


def phone_links(session: Session, service_id: str) -> tuple[str | None, str | None, str | None]:
    """(number as written, tel: link, sms: link) from the service's phones."""
    phones = session.scalars(select(Phone).where(Phone.service_id == service_id).order_by(Phone.id)).all()
    voice = next((p for p in phones if (p.type or "voice") in ("voice", "cell")), None)
    # A mobile number takes texts too (the same rule as the search's cards).
    text = next((p for p in phones if p.type == "text"), None) or next((p for p in phones if p.type == "cell"), None)
    tel = sms = None
    try:
        tel = tel_link(voice.number) if voice else None
        sms = sms_link(text.number) if text else None
    except InvalidPhoneNumber:
        pass
    return (voice.number if voice else None), tel, sms
