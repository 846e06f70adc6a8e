"""Silencing: a Resource's ``ignore`` entries and its ``homestack.dev/ignore`` annotation.

Each entry reads ``"HS-AREA-NNN: reason"``. An entry silences that rule for that Resource only,
and only when it gives a reason; an entry without one silences nothing and is itself a finding.
Annotation values hold several entries separated by commas or semicolons before each rule id,
so a reason may itself contain commas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from homestack.model import Resource
from homestack.policy import _manifest as m

IGNORE_ANNOTATION = "homestack.dev/ignore"
_SPLIT = re.compile(r"[,;]\s*(?=HS-[A-Za-z]+-[0-9]{3})")
_ENTRY = re.compile(r"^\s*(HS-[A-Z]+-[0-9]{3})\s*(?::\s*(.*?))?\s*$", re.DOTALL)


@dataclass(frozen=True)
class IgnoreEntry:
    """One parsed entry; ``rule`` is "" when the entry names no rule id at all."""

    text: str
    rule: str
    reason: str
    source: str

    @property
    def valid(self) -> bool:
        """True when the entry names a rule and gives a reason."""
        return bool(self.rule) and bool(self.reason)


def parse_entry(text: str, source: str) -> IgnoreEntry:
    """Parse ``"HS-AREA-NNN: reason"``."""
    match = _ENTRY.match(text)
    if not match:
        return IgnoreEntry(text=text.strip(), rule="", reason="", source=source)
    return IgnoreEntry(
        text=text.strip(), rule=match.group(1), reason=(match.group(2) or "").strip(),
        source=source,
    )


def ignore_entries(resource: Resource) -> list[IgnoreEntry]:
    """Every ignore entry of ``resource``: its ``ignore`` field, then its annotation."""
    entries = [parse_entry(text, "ignore") for text in resource.ignore]
    annotation = m.annotations_of(resource.body).get(IGNORE_ANNOTATION, "")
    for text in _SPLIT.split(annotation):
        if text.strip():
            entries.append(parse_entry(text, f"annotation {IGNORE_ANNOTATION}"))
    return entries


def silencing_reason(resource: Resource, rule_id: str) -> str | None:
    """The reason ``resource`` gives for silencing ``rule_id``, or None."""
    for entry in ignore_entries(resource):
        if entry.valid and entry.rule == rule_id:
            return entry.reason
    return None
