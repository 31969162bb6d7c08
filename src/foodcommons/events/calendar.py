"""Events as iCalendar (RFC 5545) with the icalendar library, times in Europe/Brussels, and as schema.org Event JSON-LD."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse

from foodcommons.core.mail import absolute
from foodcommons.events.models import Event

BRUSSELS = ZoneInfo("Europe/Brussels")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(BRUSSELS)


def location_text(event: Event, language: str | None = None) -> str:
    """Return where the event happens, in words: the place and its address, the free address, or the online link."""
    if event.place is not None:
        name = event.place.name_fr or event.place.name_nl or event.place.name_en or ""
        street = " ".join(p for p in (event.place.street, event.place.house_number) if p)
        address = ", ".join(p for p in (street, " ".join(p for p in (event.place.postcode, event.place.locality) if p)) if p)
        return ", ".join(p for p in (name, event.address or address) if p)
    return event.address or event.online_url


def vevent(event: Event, language: str = "fr") -> icalendar.Event:
    """Return one VEVENT of an event, its programme in the description."""
    item = icalendar.Event()
    item.add("uid", f"{event.public_id}@{settings.FOODCOMMONS_SITE_NAME}")
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("dtstart", _local(event.starts_at))
    item.add("dtend", _local(event.ends_at))
    item.add("summary", event.title(language))
    programme = [f"{_local(s.starts_at):%H:%M} {s.title(language)}" for s in event.sessions.all()]
    item.add("description", "\n".join(p for p in (event.description(language), "\n".join(programme)) if p))
    if where := location_text(event, language):
        item.add("location", where)
    item.add("url", absolute(reverse("events:event", args=[event.public_id])))
    item.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    if event.organisation is not None:
        item.add("organizer", "mailto:noreply@invalid", parameters={"CN": event.organisation.name})
    return item


def calendar(events: list[Event], *, name: str, language: str = "fr") -> bytes:
    """Return a VCALENDAR of events, with the VTIMEZONE of Europe/Brussels."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.FOODCOMMONS_SITE_NAME}//events//{language.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Brussels")
    for event in events:
        cal.add_component(vevent(event, language))
    cal.add_missing_timezones()
    return cal.to_ical()


def jsonld(event: Event, language: str = "fr") -> dict:
    """Return a schema.org Event for an event."""
    online = bool(event.online_url) and event.place is None and not event.address
    location: list[dict] = []
    if event.place is not None or event.address:
        place = {"@type": "Place", "name": location_text(event, language)}
        if event.place is not None:
            place["url"] = absolute(f"/places/{event.place.public_id}")
            if event.place.lat is not None and event.place.lon is not None:
                place["geo"] = {"@type": "GeoCoordinates", "latitude": event.place.lat, "longitude": event.place.lon}
        if event.address:
            place["address"] = event.address
        location.append(place)
    if event.online_url:
        location.append({"@type": "VirtualLocation", "url": event.online_url})
    document: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": absolute(reverse("events:event", args=[event.public_id])),
        "url": absolute(reverse("events:event", args=[event.public_id])),
        "name": event.title(language),
        "description": event.description(language),
        "startDate": _local(event.starts_at).isoformat(),
        "endDate": _local(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled" if event.status == Event.Status.CANCELLED else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode" if online else (
            "https://schema.org/MixedEventAttendanceMode" if event.online_url else "https://schema.org/OfflineEventAttendanceMode"),
        "location": location[0] if len(location) == 1 else location,
        "subEvent": [
            {"@type": "Event", "name": s.title(language), "startDate": _local(s.starts_at).isoformat(),
             **({"endDate": _local(s.ends_at).isoformat()} if s.ends_at else {})}
            for s in event.sessions.all()
        ],
    }
    if event.organisation is not None:
        document["organizer"] = {"@type": "Organization", "name": event.organisation.name}
    if event.capacity is not None:
        document["maximumAttendeeCapacity"] = event.capacity
    if not location:
        document.pop("location")
    return document
