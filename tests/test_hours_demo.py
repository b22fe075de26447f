"""The demo's hours and sessions agree with what its texts say, whatever day the demo is
built on: a service "Monday–Friday" is open those days, a "Sunday running club" meets on
Sundays, a public office holds no session at the weekend."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity
from services.models import Service, Weekday

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2027, 3, 10)  # the day of the week the contradictions were found on
CODES = [d.value for d in Weekday]
ENGLISH = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NAMES = dict(zip(ENGLISH, CODES, strict=True))  # the scan reads the English texts
DAY = "|".join(ENGLISH)
RANGE = re.compile(rf"({DAY})\s*[–-]\s*({DAY})")
PERIOD = re.compile(r"(\d\d:\d\d)\s*[–-]\s*(\d\d:\d\d)")


@pytest.fixture
def demo(monkeypatch):
    """The demo as built on a Wednesday (seed_demo counts its dates from today)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: WEDNESDAY)
    call_command("seed_demo", verbosity=0)


def named_days(text: str) -> set[str]:
    """The weekday codes an English text names: "Monday–Friday", "every Tuesday", "every
    day" or "daily" (all seven)."""
    if re.search(r"\bevery day\b|\bdaily\b", text, re.IGNORECASE):
        return set(CODES)
    days = set()
    for first, last in RANGE.findall(text):
        days |= set(CODES[CODES.index(NAMES[first]) : CODES.index(NAMES[last]) + 1])
    text = RANGE.sub("", text)
    days |= {code for name, code in NAMES.items() if re.search(rf"\b{name}s?\b", text)}
    return days


def open_days(service) -> set[str]:
    return {code for period in service.schedules.all() for code in period.days}


def test_the_three_contradictions_found_are_gone(demo):
    hotline = Service.objects.get(slug="legal-borders-hotline")
    assert "Monday–Friday" in hotline.description_en
    assert hotline.hours == Service.Hours.REGULAR  # not "open 24 hours"
    assert open_days(hotline) == {"MO", "TU", "WE", "TH", "FR"}

    club = Activity.objects.get(slug="areos-running-club")
    assert club.title_en == "Sunday running club"
    days = {timezone.localtime(s.starts).date().weekday() for s in club.sessions.all()}
    assert days == {6}

    registration = Activity.objects.get(slug="dypa-registration-clinic")
    days = {timezone.localtime(s.starts).date().weekday() for s in registration.sessions.all()}
    assert days and days <= {0, 1, 2, 3, 4}  # a public office, on weekdays


def test_no_service_description_names_days_or_hours_its_hours_deny(demo):
    contradictions = []
    for service in Service.objects.prefetch_related("schedules"):
        text = service.description_en
        named = named_days(text)
        if not named:
            continue
        if service.hours != Service.Hours.REGULAR or open_days(service) != named:
            contradictions.append((service.slug, sorted(named), service.hours))
        for opens, closes in PERIOD.findall(text):
            periods = {f"{p.opens_at:%H:%M}–{p.closes_at:%H:%M}" for p in service.schedules.all()}
            if f"{opens}–{closes}" not in periods:
                contradictions.append((service.slug, f"{opens}–{closes}", sorted(periods)))
    assert contradictions == []


def test_no_activity_names_a_day_its_sessions_are_not_on(demo):
    contradictions = []
    for activity in Activity.objects.prefetch_related("sessions"):
        named = named_days(f"{activity.title_en} {activity.summary_en}")
        if not named:
            continue
        for session in activity.sessions.all():
            code = CODES[timezone.localtime(session.starts).weekday()]
            if code not in named:
                contradictions.append((activity.slug, sorted(named), code))
    assert contradictions == []
