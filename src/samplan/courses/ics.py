"""iCalendar for a course: one VEVENT per session, UIDs stable per session so a cancelled
course can withdraw the same events (METHOD:CANCEL)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

TZ = ZoneInfo(settings.TIME_ZONE)


def session_uid(course, session) -> str:
    return f"{course.uid}-{session.pk}@samplan"


def build(course, method: str = "PUBLISH", sessions=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Samplan//Recoveryskolen//DA")
    cal.add("version", "2.0")
    cal.add("method", method)
    organizer = vCalAddress(f"mailto:{course.term.school.email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(course.term.school.name)
    sessions = list(course.sessions.all()) if sessions is None else sessions
    now = dt.datetime.now(tz=TZ)
    for n, session in enumerate(sessions, start=1):
        event = Event()
        event.add("uid", session_uid(course, session))
        event.add("dtstamp", now)
        event.add("dtstart", dt.datetime.combine(session.date, session.starts, tzinfo=TZ))
        event.add("dtend", dt.datetime.combine(session.date, session.ends, tzinfo=TZ))
        event.add("summary", f"{course.title} ({n}/{len(sessions)})")
        location = session.place or ", ".join(x for x in (course.place, course.address) if x)
        if location:
            event.add("location", location)
        event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        event.add("organizer", organizer)
        cal.add_component(event)
    return cal.to_ical()
