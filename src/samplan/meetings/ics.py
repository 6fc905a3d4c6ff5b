"""iCalendar invitations (RFC 5545/5546): REQUEST for invitations and moves, CANCEL for
cancellations; the same UID throughout, SEQUENCE = meeting.sequence. The text is neutral:
no CPR number and nothing about the citizen's situation."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

SUMMARY = "Netværksmøde"
DESCRIPTION = "Netværksmøde i Samplan. Du kan se dagsordenen, når du logger ind på Min side."


def build(meeting, method: str, participant=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Samplan//Netværksmøder//DA")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", SUMMARY)
    event.add("description", DESCRIPTION)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText("Samplan")
    event.add("organizer", organizer)
    if participant is not None and participant.email:
        attendee = vCalAddress(f"mailto:{participant.email}")
        attendee.params["cn"] = vText(participant.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()
