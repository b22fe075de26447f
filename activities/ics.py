"""iCalendar (RFC 5545) for activities: one activity's sessions, or a filtered feed."""

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from accmr.core.clients import site_url

PRODID = "-//City of Athens ACCMR//Portal//EL"


def calendar(sessions, *, name: str) -> Calendar:
    """A calendar of `sessions` (with their activities), times in Europe/Athens."""
    site = site_url()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Athens")
    stamp = timezone.now()
    for session in sessions:
        activity = session.activity
        event = Event()
        event.add("uid", f"activity-session-{session.pk}@{site.split('://')[-1]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(session.starts))
        event.add("dtend", timezone.localtime(session.ends))
        event.add("summary", activity.title)
        url = site + activity.get_absolute_url()
        event.add("url", url)
        event.add("description", "\n\n".join(filter(None, [activity.summary, url])))
        place = session.place
        district = place.district.name if place.district_id else ""
        where = session.online_url or ", ".join(
            filter(None, [place.address, place.postcode, district])
        )
        if where:
            event.add("location", where)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def response(cal: Calendar, filename: str) -> HttpResponse:
    reply = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
