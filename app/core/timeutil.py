"""Time: stored in UTC, shown in Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from holidays import country_holidays

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_london(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def london_date(value: datetime) -> date:
    """The day it was in London at that moment (not the day in UTC, an hour behind in summer)."""
    return to_london(value).date()


def _clock(value: datetime) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute == 0:
        return f"{hour}{suffix}"
    return f"{hour}:{value.minute:02d}{suffix}"


def format_datetime(value: datetime | None) -> str:
    """'22 November 2026 at 4:01pm' in London time (GOV.UK style)."""
    if value is None:
        return ""
    local = to_london(value)
    return f"{local.day} {local:%B %Y} at {_clock(local)}"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_london(value).date()
    return f"{value.day} {value:%B %Y}"


def format_time_left(deadline: datetime, now: datetime | None = None) -> str:
    """A plain-English countdown: '2 days 3 hours left', 'closed'."""
    now = now or utcnow()
    remaining = deadline - now
    if remaining <= timedelta(0):
        return "closed"
    minutes = int(remaining.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if not parts:
        parts.append("less than a minute")
    return " ".join(parts) + " left"


def london_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where a London calendar day starts and ends."""
    start = datetime(day.year, day.month, day.day, tzinfo=LONDON)
    end = start + timedelta(days=1)  # wall-clock arithmetic: right across clock changes
    return start.astimezone(UTC), end.astimezone(UTC)


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in `year` (Wales shares England's), from the maintained
    `holidays` package, so deadlines stay right in any year, substitute days included."""
    return frozenset(country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date, closed: frozenset[date] | None = None) -> bool:
    """Monday to Friday and not a bank holiday (or not one of `closed`, when given)."""
    return day.weekday() < 5 and day not in (bank_holidays(day.year) if closed is None else closed)


def add_working_days(start: datetime, days: int, holidays: frozenset[date] | None = None) -> datetime:
    """The same London clock time `days` working days later, skipping weekends and England and
    Wales bank holidays (or only the days in `holidays`, when given). A start on a non-working
    day counts from the next working day."""
    local = to_london(start)
    current = local.date()
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            counted += 1
    result = datetime.combine(current, local.timetz().replace(tzinfo=None), tzinfo=LONDON)
    return result.astimezone(UTC)


def today_in_london() -> date:
    return to_london(utcnow()).date()


def format_minutes(minutes: int | None) -> str:
    """135 -> '2 hours 15 minutes'; 60 -> '1 hour'; 0 -> '0 minutes'."""
    minutes = int(minutes or 0)
    hours, rest = divmod(abs(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return ("minus " if minutes < 0 else "") + " ".join(parts)
