"""The fake Cloudflare account's zones and DNS records, and the API's validation rules.

Every rule answers the way the v4 API does: an HTTP status and a list of ``{code, message}``
errors (validation errors come as code 1004 "DNS Validation Error" with the precise error in
``error_chain``, as the real API nests them; see ``errors``). Rules enforced:

- record names inside the zone (the real API appends the zone to a relative name; this fake
  refuses any name outside the zone instead, so a wrong name is caught, never created);
- supported types; A content an IPv4 address, AAAA an IPv6 address;
- MX: a ``priority`` (9100 when missing; 0..65535) and a host name as content (9009);
- SRV and CAA: a ``data`` object with every field (9101 per missing field; SRV priority,
  weight and port 0..65535 and a host name as target; CAA flags 0..255 and tag issue,
  issuewild or iodef), from which the content is computed (see ``rdata``); reads return
  ``priority`` (MX, SRV) and ``data`` (SRV, CAA);
- TTL 1 (automatic) or 30..86400;
- ``proxied`` only on A, AAAA and CNAME, and never to a private or reserved address;
- a CNAME is alone at its name (81053 / 81054), identical records are refused (81058);
- comments of at most 100 characters; tags ``name:value``.
"""

from __future__ import annotations

import ipaddress
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from homestack_testing.cloudflare.errors import ApiError, invalid
from homestack_testing.cloudflare.rdata import shaped

TYPES = frozenset({"A", "AAAA", "CNAME", "TXT", "MX", "NS", "SRV", "CAA", "PTR"})
PROXIABLE = frozenset({"A", "AAAA", "CNAME"})
COMMENT_MAX = 100


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Zone:
    """One zone of the account."""

    id: str
    name: str
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The zone as the API returns it."""
        return {"id": self.id, "name": self.name, "status": "active", "paused": False,
                "type": "full", "development_mode": 0,
                "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
                "account": {"id": "0" * 32, "name": "homestack test account"},
                "created_on": "2026-01-01T00:00:00Z", "modified_on": "2026-01-01T00:00:00Z"}


class Account:
    """Zones and records behind a lock (the server is threaded)."""

    def __init__(self, zones: tuple[str, ...]) -> None:
        self.lock = threading.Lock()
        self.zones_by_id: dict[str, Zone] = {}
        for name in zones:
            zone = Zone(uuid.uuid4().hex, name.lower())
            self.zones_by_id[zone.id] = zone

    def zone(self, zone_id: str) -> Zone:
        """The zone ``zone_id`` (7003 when there is none, like the real API)."""
        found = self.zones_by_id.get(zone_id)
        if found is None:
            raise ApiError(400, 7003, f"Could not route to /zones/{zone_id}/dns_records, "
                           "perhaps your object identifier is invalid?")
        return found

    def zone_named(self, name: str) -> Zone:
        """The zone called ``name`` (for test set-up)."""
        return next(z for z in self.zones_by_id.values() if z.name == name.lower())

    def create(self, zone: Zone, data: dict[str, Any]) -> dict[str, Any]:
        """Validate and store a new record."""
        record = self._checked(zone, data, None)
        zone.records[record["id"]] = record
        return record

    def replace(self, zone: Zone, record_id: str, data: dict[str, Any], *,
                merge: bool) -> dict[str, Any]:
        """PUT (``merge`` False) or PATCH a record."""
        before = self.record(zone, record_id)
        fields = {**before, **data} if merge else data
        record = self._checked(zone, fields, before)
        zone.records[record_id] = record
        return record

    def record(self, zone: Zone, record_id: str) -> dict[str, Any]:
        """One record (81044 when it does not exist)."""
        if record_id not in zone.records:
            raise ApiError(404, 81044, "Record does not exist.")
        return zone.records[record_id]

    def delete(self, zone: Zone, record_id: str) -> dict[str, Any]:
        """Remove a record."""
        self.record(zone, record_id)
        del zone.records[record_id]
        return {"id": record_id}

    def _checked(self, zone: Zone, data: dict[str, Any], before: dict[str, Any] | None
                 ) -> dict[str, Any]:
        rtype = str(data.get("type") or "")
        if rtype not in TYPES:
            raise invalid(9020, f"Invalid DNS record type {rtype!r}.")
        name = _name(zone, data.get("name"))
        parts = shaped(rtype, data)
        content = parts.content if parts else str(data.get("content") or "")
        if parts is None:
            _content(rtype, content)
        ttl = data.get("ttl", 1)
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not (
                ttl == 1 or 30 <= ttl <= 86400):
            raise ApiError(400, 9021, "Invalid TTL. Must be between 30 and 86,400 seconds, "
                           "or 1 for Auto.")
        proxied = bool(data.get("proxied", False))
        if proxied and rtype not in PROXIABLE:
            raise invalid(9004, "This kind of record cannot be proxied.")
        if proxied and rtype in ("A", "AAAA") and not ipaddress.ip_address(content).is_global:
            raise invalid(9003, f"Target {content} is not allowed for a proxied record.")
        comment = data.get("comment")
        if comment is not None and len(str(comment)) > COMMENT_MAX:
            raise invalid(9102, f"DNS record comment cannot be longer than {COMMENT_MAX} "
                          "characters.")
        tags = list(data.get("tags") or [])
        if any(":" not in str(t) for t in tags):
            raise invalid(9103, "DNS record tags must be of the form name:value.")
        record_id = before["id"] if before else uuid.uuid4().hex
        priority = parts.priority if parts else None
        self._exclusive(zone, record_id, name, rtype, (content, priority))
        now = _now()
        record = {"id": record_id, "zone_id": zone.id, "zone_name": zone.name, "name": name,
                  "type": rtype, "content": content, "proxiable": rtype in PROXIABLE,
                  "proxied": proxied, "ttl": ttl, "locked": False, "comment": comment,
                  "tags": tags, "settings": {}, "priority": priority,
                  "meta": {"auto_added": False, "source": "primary"},
                  "created_on": before["created_on"] if before else now, "modified_on": now}
        if parts and parts.data is not None:
            record["data"] = parts.data
        return record

    @staticmethod
    def _exclusive(zone: Zone, record_id: str, name: str, rtype: str,
                   value: tuple[str, int | None]) -> None:
        others = [r for r in zone.records.values() if r["name"] == name and r["id"] != record_id]
        if rtype == "CNAME" and others:
            raise ApiError(400, 81053, "An A, AAAA, or CNAME record with that host already "
                           "exists.")
        if any(r["type"] == "CNAME" for r in others):
            raise ApiError(400, 81054, "A CNAME record with that host already exists.")
        if any(r["type"] == rtype and (r["content"], r["priority"]) == value for r in others):
            raise ApiError(400, 81058, "An identical record already exists.")


def _name(zone: Zone, value: Any) -> str:
    name = str(value or "").rstrip(".").lower()
    if name in ("", "@"):
        if value in ("@",):
            return zone.name
        raise invalid(9000, "DNS name is invalid.")
    if name == zone.name or name.endswith(f".{zone.name}"):
        return name
    raise invalid(9007, f"Record name {name} is outside the zone {zone.name}.")


def _content(rtype: str, content: str) -> None:
    if not content:
        raise invalid(9008, "Content is required.")
    if rtype == "A":
        try:
            ipaddress.IPv4Address(content)
        except ValueError:
            raise invalid(9005, "Content for A record must be a valid IPv4 address.") from None
    if rtype == "AAAA":
        try:
            ipaddress.IPv6Address(content)
        except ValueError:
            raise invalid(9006, "Content for AAAA record must be a valid IPv6 address."
                          ) from None
