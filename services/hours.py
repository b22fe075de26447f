"""When a service is open: its weekly periods, dated closures and Greek public holidays,
read in Europe/Athens wall-clock time (so the daylight-saving changes need no special case:
09:00 is 09:00 on either side of them).

`status_at()` says it for one service from its prefetched rows (cards and the detail page);
`open_at_moment()` and `open_on()` say it in SQL for the filters, a fixed number of
subqueries whatever the number of services.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext

from .models import Closure, Schedule, Service, Weekday

DAYS = list(Weekday)  # Monday first, as date.weekday() counts
LOOK_AHEAD_DAYS = 14  # how far "opens …" looks for the next opening


def now() -> datetime:
    """The current moment (one place for tests to move the clock)."""
    return timezone.now()


def day_code(day: date) -> str:
    return DAYS[day.weekday()].value


# The package's American names, as the portal's British English says them.
ENGLISH_NAMES = {"Green Monday": "Clean Monday", "Labor Day": "Labour Day"}


@lru_cache(maxsize=8)
def _greek_holidays(year: int, language: str):
    return holidays.country_holidays("GR", years=year, language=language)


def holiday(day: date) -> str:
    """The name of the Greek public holiday on `day` in the page's language, or ""."""
    if (get_language() or "el").startswith("el"):
        return _greek_holidays(day.year, "el").get(day, "")
    name = _greek_holidays(day.year, "en_US").get(day, "")
    for american, british in ENGLISH_NAMES.items():
        name = name.replace(american, british)
    return name


def _valid(schedule: Schedule, day: date) -> bool:
    return (schedule.valid_from is None or schedule.valid_from <= day) and (
        schedule.valid_to is None or schedule.valid_to >= day
    )


def _closure(service: Service, day: date) -> Closure | None:
    return next((c for c in service.closures.all() if c.starts_on <= day <= c.ends_on), None)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


@dataclass(frozen=True)
class Status:
    """What a visitor is told: `state` is open, closed, closed_today, appointment, always
    or unknown (no hours given); `text` says it in the page's language."""

    state: str
    text: str = ""

    @property
    def is_open(self) -> bool:
        return self.state in ("open", "always")


def _closed_reason(service: Service, day: date) -> str:
    """Why the service is closed all of `day` ("" if it is not)."""
    if closure := _closure(service, day):
        return closure.reason or gettext("closure")
    if not service.opens_on_holidays and (name := holiday(day)):
        return name
    return ""


def _next_opening(service: Service, local: datetime) -> str:
    """ "opens today at 17:00", "opens tomorrow at 09:00", "opens Monday 09:00", or ""."""
    for ahead in range(LOOK_AHEAD_DAYS + 1):
        day = local.date() + timedelta(days=ahead)
        if _closed_reason(service, day):
            continue
        starts = sorted(
            s.opens_at
            for s in service.schedules.all()
            if day_code(day) in s.days and _valid(s, day) and (ahead or s.opens_at > local.time())
        )
        if not starts:
            continue
        at = _hhmm(starts[0])
        if ahead == 0:
            return gettext("opens today at %(time)s") % {"time": at}
        if ahead == 1:
            return gettext("opens tomorrow at %(time)s") % {"time": at}
        weekday = date_format(day, "l")
        return gettext("opens %(day)s at %(time)s") % {"day": weekday, "time": at}
    return ""


def _open_until(service: Service, local: datetime) -> time | None:
    """When the period the service is in at `local` closes, or None if it is closed."""
    today, clock = local.date(), local.time()
    yesterday = today - timedelta(days=1)
    for s in service.schedules.all():
        started = day_code(today) in s.days and _valid(s, today) and s.opens_at <= clock
        if started and (s.overnight or clock < s.closes_at):
            return s.closes_at
        if (
            day_code(yesterday) in s.days
            and s.overnight
            and _valid(s, yesterday)
            and clock < s.closes_at
            and not _closed_reason(service, yesterday)
        ):
            return s.closes_at
    return None


def status_at(service: Service, moment: datetime | None = None) -> Status:
    """Whether `service` is open at `moment` (now by default), from its prefetched
    schedules and closures (no query when they are prefetched)."""
    local = timezone.localtime(moment or now())
    today, kind = local.date(), service.hours
    if kind == Service.Hours.NOT_STATED:
        return Status("unknown")
    if kind == Service.Hours.REGULAR:
        reason = _closed_reason(service, today)
    else:  # by appointment and 24 hours close only for a dated closure
        closure = _closure(service, today)
        reason = (closure.reason or gettext("closure")) if closure else ""
    if reason:
        text = gettext("Closed today (%(reason)s)") % {"reason": reason}
        if kind == Service.Hours.REGULAR and (opening := _next_opening(service, local)):
            text = f"{text} · {opening}"
        return Status("closed_today", text)
    if kind == Service.Hours.ALWAYS:
        return Status("always", gettext("Open 24 hours"))
    if kind == Service.Hours.APPOINTMENT:
        return Status("appointment", gettext("By appointment"))
    if (closes := _open_until(service, local)) is not None:
        return Status("open", gettext("Open now · closes %(time)s") % {"time": _hhmm(closes)})
    opening = _next_opening(service, local)
    text = gettext("Closed · %(opening)s") % {"opening": opening} if opening else gettext("Closed")
    return Status("closed", text)


def week(service: Service, today: date) -> list[tuple[str, list[str], bool]]:
    """(day name, ["09:00–13:00", …], is today) for Monday to Sunday, from the periods
    valid this week."""
    monday = today - timedelta(days=today.weekday())
    rows = []
    for offset, code in enumerate(DAYS):
        day = monday + timedelta(days=offset)
        periods = sorted(
            (s for s in service.schedules.all() if code in s.days and _valid(s, day)),
            key=lambda s: s.opens_at,
        )
        rows.append(
            (
                code.label,
                [f"{_hhmm(s.opens_at)}–{_hhmm(s.closes_at)}" for s in periods],
                day == today,
            )
        )
    return rows


def coming_closures(service: Service, today: date, days: int = 60) -> list[tuple[str, str]]:
    """(when, why) of the dated closures and closing holidays in the next `days` days."""
    until = today + timedelta(days=days)
    found = [
        (c.starts_on, _span(c.starts_on, c.ends_on), c.reason)
        for c in service.closures.all()
        if c.ends_on >= today and c.starts_on <= until
    ]
    if service.hours == Service.Hours.REGULAR and not service.opens_on_holidays:
        for offset in range(days + 1):
            day = today + timedelta(days=offset)
            if (name := holiday(day)) and not _closure(service, day):
                found.append((day, date_format(day, "DATE_FORMAT"), name))
    return [(when, why) for _start, when, why in sorted(found, key=lambda f: f[0])]


def describe_week(kind: str, schedules) -> str:
    """The weekly hours in one line, consecutive days with the same hours together:
    "Monday–Friday 09:00–13:00, 17:00–20:00; Saturday 10:00–14:00" (exports)."""
    if kind != Service.Hours.REGULAR:
        return str(Service.Hours(kind).label) if kind else ""
    by_day = {
        code: ", ".join(
            f"{_hhmm(s.opens_at)}–{_hhmm(s.closes_at)}"
            for s in sorted((s for s in schedules if code in s.days), key=lambda s: s.opens_at)
        )
        for code in DAYS
    }
    runs = []  # [first day, last day, hours]
    for code in DAYS:
        if runs and runs[-1][2] == by_day[code] and DAYS.index(runs[-1][1]) == DAYS.index(code) - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code, by_day[code]])
    return "; ".join(
        f"{first.label}{'–' + last.label if last != first else ''} {text}"
        for first, last, text in runs
        if text
    )


def _span(first: date, last: date) -> str:
    if first == last:
        return date_format(first, "DATE_FORMAT")
    return pgettext("a range of dates", "%(first)s to %(last)s") % {
        "first": date_format(first, "DATE_FORMAT"),
        "last": date_format(last, "DATE_FORMAT"),
    }


def _valid_on(day: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def _periods(code: str, clock: time | None, day: date | None = None):
    """Periods of the outer service on weekday `code` open at `clock` (any time if None).
    A period lists its days as "MO,TU,WE": the two-letter codes never overlap."""
    periods = Schedule.objects.filter(service=OuterRef("pk"), byday__contains=code)
    if day is not None:
        periods = periods.filter(_valid_on(day))
    if clock is not None:
        periods = periods.filter(
            Q(opens_at__lte=clock)
            & (Q(closes_at__gt=clock) | Q(closes_at__lte=F("opens_at")))  # or past midnight
        )
    return Exists(periods)


def _spill(code: str, clock: time, day: date | None = None):
    """Overnight periods begun on weekday `code` (the day before) still open at `clock`."""
    periods = Schedule.objects.filter(
        service=OuterRef("pk"),
        byday__contains=code,
        closes_at__lte=F("opens_at"),
        closes_at__gt=clock,
    )
    if day is not None:
        periods = periods.filter(_valid_on(day))
    return Exists(periods)


def open_at_moment(moment: datetime | None = None) -> Q:
    """Services open at `moment` (now by default): 24 hours, or in a period of today or
    past midnight from yesterday; not in a dated closure; on a Greek public holiday only
    those that open on holidays. By appointment is not "open"."""
    local = timezone.localtime(moment or now())
    today, clock = local.date(), local.time().replace(microsecond=0)
    yesterday = today - timedelta(days=1)
    regular = Q(hours=Service.Hours.REGULAR) & (
        _periods(day_code(today), clock, today) | _spill(day_code(yesterday), clock, yesterday)
    )
    if holiday(today):
        regular &= Q(opens_on_holidays=True)
    closed = Closure.objects.filter(
        service=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today
    )
    return (Q(hours=Service.Hours.ALWAYS) | regular) & ~Exists(closed)


def open_on(code: str, clock: time | None) -> Q:
    """Services whose weekly hours are open on weekday `code` at `clock` (any time that
    day if None): the week as it is, not a date, so no closure or holiday applies."""
    regular = _periods(code, clock)
    if clock is not None:
        regular |= _spill(DAYS[(DAYS.index(Weekday(code)) - 1) % 7].value, clock)
    return Q(hours=Service.Hours.ALWAYS) | (Q(hours=Service.Hours.REGULAR) & regular)


def card_variant(service: Service) -> str:
    """What a cached card shows that changes with the clock: its hours' status now."""
    return status_at(service).text
