"""The DNS target: one target for ``Provider.DNS`` that hands each record family to its backend.

``dns:cloudflare:<TYPE>:<name>`` Resources go to Cloudflare, ``dns:technitium:<TYPE>:<name>``
ones to an RFC 2136 server (see ``homestack.model.dns_settings``). ``observe`` reads each
backend's zones once; ``plan_stack`` decides from that value alone, per record set:

- absent → create (unless a CNAME would share its name with other records: a conflict);
- owned by this Stack → unchanged, or update showing old → new;
- owned by another Stack, or by nobody → a FAILED change of kind CONFLICT naming the record,
  unless the Site lists the name in ``DnsSettings.adopt`` (then an update takes it over);
- owned by this Stack but no longer desired → delete (prune).

Each change carries the records it replaces (``Observed.version``, as JSON), so apply writes
exactly what the plan showed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from homestack.model import Provider, Resource
from homestack.model.address import Address
from homestack.model.changeset import (
    Action,
    Change,
    ChangeSet,
    Failure,
    FailureKind,
    Observed,
    Recorder,
)
from homestack.model.diff import unified
from homestack.model.dns_settings import zone_of
from homestack.providers.dns.backend import Backend
from homestack.providers.dns.records import Owner, Record, Wanted, ZoneRecords, normal_name
from homestack.providers.errors import NotFoundError
from homestack.state import StackRecord


@dataclass(frozen=True)
class DnsView:
    """What the DNS target saw in one run: each family's records."""

    families: Mapping[str, ZoneRecords]


def _family(address: Address) -> str:
    return address.kind.partition(":")[0]


def _rtype(address: Address) -> str:
    return address.kind.partition(":")[2]


class DnsTarget:
    """Plans and applies DNS record sets through one backend per family; keeps no run state."""

    name = "dns"

    def __init__(self, site: str, backends: Mapping[str, Backend],
                 adopt: tuple[str, ...] = ()) -> None:
        self.site = site
        self.backends = dict(backends)
        self.adopt = frozenset(normal_name(n) for n in adopt)

    def identity(self) -> str:
        return " ".join(f"{family}={backend.endpoint}"
                        for family, backend in sorted(self.backends.items()))

    def handles(self, resource: Resource) -> bool:
        return (resource.provider is Provider.DNS
                and resource.kind.partition(":")[0] in self.backends)

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        return []

    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]) -> DnsView:
        """Read every backend's zones once (each backend is read even when nothing is desired
        in it: records a removed Stack owned are found by their ownership mark)."""
        return DnsView({family: backend.observe() for family, backend in self.backends.items()})

    # -- planning -----------------------------------------------------------------------------
    def plan_stack(self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
                   seen: DnsView, *, confirm: bool = True) -> list[Change]:
        owner = Owner(self.site, stack)
        changes = [self._plan_one(stack, owner, r, seen) for r in desired]
        wanted = {r.address for r in desired}
        for family, records in sorted(seen.families.items()):
            for name, rtype in records.owned_by(owner):
                address = Address("dns", f"{family}:{rtype}", name)
                if str(address) in wanted:
                    continue
                old = records.at(name, rtype)
                changes.append(Change(stack, address, Action.DELETE,
                                      unified(str(address), _shown(old), None),
                                      **_planned(records, name, old)))
        return changes

    def _plan_one(self, stack: str, owner: Owner, resource: Resource, seen: DnsView) -> Change:
        address = resource.typed_address
        backend = self.backends[_family(address)]
        wanted = Wanted.of(resource, backend.default_ttl, backend.proxiable)
        records = seen.families.get(wanted.family, ZoneRecords())
        if zone_of(wanted.name, backend.zones) is None:
            return _failed(stack, resource, FailureKind.INVALID,
                           f"{wanted.name} is outside the zones {', '.join(backend.zones)}")
        old = records.at(wanted.name, wanted.rtype)
        seen_then = _planned(records, wanted.name, old)
        if not old:
            clash = _cname_clash(records, wanted)
            if clash:
                return _failed(stack, resource, FailureKind.CONFLICT, clash)
            return Change(stack, address, Action.CREATE,
                          unified(str(address), None, wanted.shown()), resource=resource,
                          **seen_then)
        owners = {r.owner for r in old}
        if owners != {owner}:
            taken = self._taken(owners, owner, wanted, old)
            if taken:
                return _failed(stack, resource, FailureKind.CONFLICT, taken)
            return Change(stack, address, Action.UPDATE,
                          unified(str(address), _shown(old), wanted.shown()),
                          resource=resource, **seen_then,
                          fields=("adopted: was not owned by Homestack",))
        if len(old) == 1 and wanted.same_as(old[0]):
            return Change(stack, address, Action.UNCHANGED, resource=resource,
                          **seen_then)
        return Change(stack, address, Action.UPDATE,
                      unified(str(address), _shown(old), wanted.shown()),
                      resource=resource, **seen_then,
                      fields=tuple(_differences(wanted, old)))

    def _taken(self, owners: set[Owner | None], owner: Owner, wanted: Wanted,
               old: tuple[Record, ...]) -> str:
        """Why the record set cannot be written ("" when the Site allows adopting it)."""
        others = sorted({o.stack for o in owners if o is not None and o != owner
                         and o.site == self.site})
        what = f"{wanted.rtype} {wanted.name} ({', '.join(r.content for r in old)})"
        if others:
            return f"{what} is owned by Stack {', '.join(others)}"
        if wanted.name in self.adopt:
            return ""
        return (f"{what} exists and is not owned by Homestack; it is left alone "
                "(list the name in DnsSettings.adopt to take it over)")

    # -- applying -----------------------------------------------------------------------------
    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        owner = Owner(self.site, stack)
        for change in changes:
            if not change.action.is_change:
                continue  # the engine hands only changes; an unchanged one needs no write
            backend = self.backends[_family(change.address)]
            zone, old = _seen(change)
            recorder.intent(change)
            if change.action is Action.DELETE:
                backend.delete(zone, owner, old)
                recorder.done(change, None)
                continue
            assert change.resource is not None
            wanted = Wanted.of(change.resource, backend.default_ttl, backend.proxiable)
            if change.action is Action.CREATE:
                provider_id = backend.create(zone, wanted, owner)
            else:
                provider_id = backend.update(zone, wanted, owner, old)
            recorder.done(change, provider_id)

    def finish(self, changeset: ChangeSet) -> str | None:
        return None

    def close(self) -> None:
        """Close every backend's connections."""
        for backend in self.backends.values():
            backend.close()


def _failed(stack: str, resource: Resource, kind: FailureKind, message: str) -> Change:
    return Change(stack, resource.typed_address, Action.FAILED, resource=resource,
                  failure=Failure(kind, message))


def _cname_clash(records: ZoneRecords, wanted: Wanted) -> str:
    """Why a new record set would break CNAME exclusivity ("" when it does not)."""
    present = records.types_at(wanted.name)
    if wanted.rtype == "CNAME" and present:
        return (f"CNAME {wanted.name} cannot be created: the name already has "
                f"{', '.join(sorted(present))} records")
    if wanted.rtype != "CNAME" and "CNAME" in present:
        return f"{wanted.rtype} {wanted.name} cannot be created: the name is a CNAME"
    return ""


def _differences(wanted: Wanted, old: tuple[Record, ...]) -> list[str]:
    first = old[0]
    found = []
    if len(old) > 1:
        found.append(f"{len(old)} records → 1")
    if first.content != wanted.content:
        found.append(f"content: {first.content} → {wanted.content}")
    if first.ttl != wanted.ttl:
        found.append(f"ttl: {first.ttl} → {wanted.ttl}")
    if wanted.proxied is not None and bool(first.proxied) != wanted.proxied:
        found.append(f"proxied: {bool(first.proxied)} → {wanted.proxied}")
    return found


def _shown(old: tuple[Record, ...]) -> dict[str, object]:
    if len(old) == 1:
        return old[0].shown()
    return {"records": [r.shown() for r in old]}


def _planned(records: ZoneRecords, name: str, old: tuple[Record, ...]) -> dict[str, Any]:
    """What a change carries for apply: the ids of the records it replaces (observed) and,
    as the provider's private data, the zone handle and those records."""
    zone = zone_of(name, tuple(records.handles)) or ""
    payload = {"zone": records.handles.get(zone, ""), "records": [
        {"name": r.name, "type": r.rtype, "content": r.content, "ttl": r.ttl,
         "proxied": r.proxied, "id": r.id,
         "owner": [r.owner.site, r.owner.stack] if r.owner else None} for r in old]}
    return {"observed": Observed(provider_id=",".join(r.id for r in old if r.id)),
            "private": json.dumps(payload, sort_keys=True)}


def _seen(change: Change) -> tuple[str, tuple[Record, ...]]:
    """The zone handle and the records the plan saw for ``change``."""
    if not change.private:
        raise NotFoundError("the change was planned without reading the DNS server; plan "
                            "again against it (not --from-state)", subject=str(change.address))
    payload = json.loads(change.private)
    old = tuple(
        Record(item["name"], item["type"], item["content"], int(item["ttl"]),
               item["proxied"], Owner(*item["owner"]) if item["owner"] else None, item["id"])
        for item in payload["records"])
    if change.action is not Action.CREATE and change.action.is_change and not old:
        raise NotFoundError("the plan saw no record to change", subject=str(change.address))
    return str(payload["zone"]), old
