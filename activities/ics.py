"""iCalendar (RFC 5545) for activities: one activity's sessions, or a filtered feed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from accmr.core.clients import site_url
from accmr.core.text import one_line, plain_text

PRODID = "-//City of Athens ACCMR//Portal//EL"
TZID = "Europe/Athens"
ATHENS = ZoneInfo(TZID)


def athens() -> Timezone:
    """Europe/Athens as calendar programs write it: EET (+02:00) with summer time (+03:00)
    from 03:00 on the last Sunday of March to 04:00 on the last Sunday of October, as
    yearly rules with no end.

    icalendar's own VTIMEZONE lists each year's change as a date until 2037 and dates the
    spring one an hour late; readers that follow it (vobject, Thunderbird's ical.js) put
    summer sessions an hour late. These rules have held in Greece since 1981, before any
    activity the portal lists.
    """
    zone = Timezone()
    zone.add("tzid", TZID)
    for kind, name, offsets, start, month in (
        (TimezoneDaylight, "EEST", (2, 3), datetime(1970, 3, 29, 3), 3),
        (TimezoneStandard, "EET", (3, 2), datetime(1970, 10, 25, 4), 10),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def calendar(sessions, *, name: str) -> Calendar:
    """A calendar of `sessions` (with their activities), times in Europe/Athens.

    Every text is put on one line (or, for the description, given plain line breaks) and
    passed as TEXT, which icalendar escapes: an editor's line break must not start a new
    property (icalendar stops a raw one only with an assert, a 500).
    """
    site = site_url()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(one_line(name)))
    cal.add("x-wr-timezone", TZID)
    cal.add_component(athens())
    stamp = timezone.now()
    for session in sessions:
        activity = session.activity
        event = Event()
        event.add("uid", f"activity-session-{session.pk}@{site.split('://')[-1]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts.astimezone(ATHENS))
        event.add("dtend", session.ends.astimezone(ATHENS))
        event.add("summary", one_line(activity.title))
        url = site + activity.get_absolute_url()
        event.add("url", url)
        event.add("description", plain_text("\n\n".join(filter(None, [activity.summary, url]))))
        place = session.place
        district = place.district.name if place.district_id else ""
        where = session.online_url or ", ".join(
            filter(None, [place.address, place.postcode, district])
        )
        if where:
            event.add("location", one_line(where))
        cal.add_component(event)
    return cal


def response(cal: Calendar, filename: str) -> HttpResponse:
    reply = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
