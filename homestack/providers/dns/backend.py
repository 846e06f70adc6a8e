"""What the DNS target needs from a backend (Cloudflare, an RFC 2136 server): the consumer owns
the interface. A backend reads its zones once per run and performs single record-set writes,
each carrying its ownership mark in the same request, so a write is never half done."""

from __future__ import annotations

from typing import Protocol

from homestack.providers.dns.records import Owner, Record, Wanted, ZoneRecords


class Backend(Protocol):
    """One DNS service holding the zones of one record family."""

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones it serves."""
        ...

    @property
    def endpoint(self) -> str:
        """Where the service answers (a saved plan names it)."""
        ...

    @property
    def default_ttl(self) -> int:
        """The TTL of records that name none."""
        ...

    @property
    def proxiable(self) -> bool:
        """True when records have a ``proxied`` flag (Cloudflare)."""
        ...

    def observe(self) -> ZoneRecords:
        """Every record of every zone, read once (paginated or transferred)."""
        ...

    def create(self, zone: str, wanted: Wanted, owner: Owner) -> str:
        """Create the record set in ``zone`` (the zone's handle: see ``ZoneRecords``), marked
        as ``owner``'s; returns its provider id."""
        ...

    def update(self, zone: str, wanted: Wanted, owner: Owner, old: tuple[Record, ...]) -> str:
        """Replace ``old`` by ``wanted`` (taking ownership when ``old`` was unowned)."""
        ...

    def delete(self, zone: str, owner: Owner, old: tuple[Record, ...]) -> None:
        """Delete ``old`` and its ownership mark."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class _ZoneSettings(Protocol):
    @property
    def zones(self) -> tuple[str, ...]: ...

    @property
    def default_ttl(self) -> int: ...


class SettingsZones:
    """``zones`` and ``default_ttl`` of a backend, as its Site settings give them."""

    settings: _ZoneSettings

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones it serves."""
        return self.settings.zones

    @property
    def default_ttl(self) -> int:
        """The TTL of records that name none."""
        return self.settings.default_ttl
