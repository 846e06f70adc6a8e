"""CronJob ``schedule`` and ``timeZone``, refused where the real validation refuses them.

A schedule is a descriptor (``@hourly``, ``@daily``, ``@every 90m``, ...) or five fields
(minute 0-59, hour 0-23, day of month 1-31, month 1-12 or ``jan``..``dec``, day of week 0-6
or ``sun``..``sat``); each field is a comma list of ``*``, ``?``, a value or a range ``a-b``,
any of them with ``/step``. Time zones belong in ``timeZone``, never in the schedule. A
``timeZone`` is an IANA name that Python's ``zoneinfo`` knows (any well-formed name passes
on a machine without a time zone database). The messages are this fake's own; only the
field and the refusal match the real server.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# (lowest, highest, names counted from the lowest) per field, in schedule order
_FIELDS = ((0, 59, ()), (0, 23, ()), (1, 31, ()), (1, 12, _MONTHS), (0, 6, _DAYS))
_DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily",
                          "@midnight", "@hourly"})
_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h)")
_ZONE_PART = re.compile(r"[A-Za-z0-9._+-]{1,14}")


def _value(text: str, low: int, names: tuple[str, ...]) -> int | None:
    if text.lower() in names:
        return low + names.index(text.lower())
    return int(text) if text.isdigit() else None


def _term_error(term: str, low: int, high: int, names: tuple[str, ...]) -> str:
    span, _, step = term.partition("/")
    if step and not (step.isdigit() and int(step) > 0):
        return f"{term}: the step must be a positive number"
    if span in ("*", "?"):
        return ""
    first, _, last = span.partition("-")
    start, end = _value(first, low, names), _value(last or first, low, names)
    if start is None or end is None:
        return f"{term}: not a number or name"
    if not low <= start <= end <= high:
        return f"{term}: outside {low}-{high} or reversed"
    return ""


def _every_error(duration: str) -> str:
    body = duration.lstrip("+-")
    if body == "0" or (body and "".join(_DURATION.findall(body)) == body):
        return ""
    return f"@every {duration}: not a duration such as 90m or 1h30m"


def schedule_errors(schedule: str) -> list[str]:
    """Why the schedule would be refused (empty when it would not)."""
    if "TZ" in schedule:
        return ["cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]
    spec = schedule.strip()
    if spec.startswith("@every "):
        error = _every_error(spec[len("@every "):].strip())
        return [error] if error else []
    if spec.startswith("@"):
        return [] if spec in _DESCRIPTORS else [f"{spec}: unknown descriptor"]
    fields = spec.split()
    if len(fields) != len(_FIELDS):
        return [f"expected {len(_FIELDS)} fields, found {len(fields)}: {spec!r}"]
    errors = [_term_error(term, low, high, names)
              for field, (low, high, names) in zip(fields, _FIELDS, strict=True)
              for term in field.split(",")]
    return [error for error in errors if error][:1]


@lru_cache(maxsize=1)
def _has_zone_database() -> bool:
    return bool(zoneinfo.available_timezones())


def _known_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return not _has_zone_database()
    return True


def time_zone_errors(zone: str) -> list[str]:
    """Why ``timeZone`` would be refused (empty when it would not)."""
    if zone.lower() == "local":
        return ["timeZone must be an explicit time zone"]
    parts = zone.split("/")
    if not zone or any(p in (".", "..") or p.startswith("-") or not _ZONE_PART.fullmatch(p)
                       for p in parts) or (zone != "UTC" and not _known_zone(zone)):
        return [f"unknown time zone {zone}"]
    return []
