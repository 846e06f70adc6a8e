"""Observe Vault once per run: the KV paths the homelab references (key names and versions
only) and every object the homelab plans or once recorded, in comparable form.

The returned ``VaultSeen`` holds no secret value: KV data is read, reduced to its key names
right here, and dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from homestack.model import Provider, Resource
from homestack.model.address import Address
from homestack.providers.vault.catalog import (
    DATABASE_STORE,
    GENERATED,
    KV_STORE,
    MARKER,
    POLICY,
    STATIC_ROLE,
    Catalog,
    kv_split,
)
from homestack.providers.vault.client import VaultClient
from homestack.providers.vault.kinds import MOUNT_DESCRIPTION, MOUNT_KINDS, RULES, mount_comparable
from homestack.state import StackRecord

DB_CREDS = "static-creds/"


@dataclass(frozen=True)
class KvSeen:
    """A KV v2 secret as seen: its key names, current version and custom metadata."""

    keys: frozenset[str]
    version: int
    custom: Mapping[str, str]


@dataclass(frozen=True)
class LiveObject:
    """A Vault object as seen: comparable form (None when absent) and Homestack's mark."""

    comparable: Mapping[str, Any] | None
    owned: bool = False


@dataclass(frozen=True)
class VaultSeen:
    """Everything the vault target saw in one run, by KV path and by Resource address."""

    kv: Mapping[str, KvSeen | None]
    objects: Mapping[str, LiveObject]


def _kv(client: VaultClient, path: str) -> KvSeen | None:
    mount, rest = kv_split(path)
    answer = client.kv_read(mount, rest)
    if answer is None:
        return None
    data, metadata = answer
    custom = metadata.get("custom_metadata") or {}
    return KvSeen(keys=frozenset(data), version=int(metadata.get("version") or 0),
                  custom=MappingProxyType({str(k): str(v) for k, v in custom.items()}))


def _object(client: VaultClient, catalog: Catalog, address: Address,
            mounts: Mapping[str, Any]) -> LiveObject:
    if address.kind in MOUNT_KINDS:
        found = mounts.get(f"{address.name}/")
        if found is None:
            return LiveObject(None)
        return LiveObject(mount_comparable(found),
                          owned=found.get("description") == MOUNT_DESCRIPTION)
    rule = RULES[address.kind]
    data = client.read(rule.path(catalog.settings, address.name))
    if data is None:
        return LiveObject(None)
    live = rule.live(data)
    owned = address.kind != POLICY or str(live.get("policy", "")).startswith(MARKER)
    return LiveObject(MappingProxyType(live), owned=owned)


def _kv_paths(catalog: Catalog, recorded: Sequence[StackRecord]) -> set[str]:
    paths = {r.ref.path for refs in catalog.references.values() for r in refs
             if r.ref.store == KV_STORE}
    for record in recorded:  # generated keys that left their Stack: delete needs the version
        for entry in record.resources:
            address = Address.parse(entry.address)
            if address.provider == Provider.VAULT.value and address.kind == GENERATED:
                paths.add(address.name.partition("#")[0])
    return paths | {path for path, _ in catalog.generated}


def _addresses(catalog: Catalog, desired: Iterable[Resource],
               recorded: Sequence[StackRecord]) -> set[Address]:
    wanted = {r.typed_address for r in [*desired, *catalog.all_companions()]
              if r.kind != GENERATED}
    for record in recorded:
        for entry in record.resources:
            address = Address.parse(entry.address)
            if address.provider == Provider.VAULT.value and address.kind != GENERATED:
                wanted.add(address)
    for refs in catalog.references.values():
        for r in refs:
            if r.ref.store == DATABASE_STORE and DB_CREDS in r.ref.path:
                wanted.add(Address(Provider.VAULT.value, STATIC_ROLE,
                                   r.ref.path.partition(DB_CREDS)[2]))
    return {a for a in wanted if a.kind in RULES or a.kind in MOUNT_KINDS}


def observe(client: VaultClient, catalog: Catalog, desired: Sequence[Resource],
            recorded: Sequence[StackRecord]) -> VaultSeen:
    """Read Vault once for the whole homelab's needs (see the module docstring)."""
    kv = {path: _kv(client, path) for path in sorted(_kv_paths(catalog, recorded))}
    addresses = _addresses(catalog, desired, recorded)
    mounts = client.mounts() if any(a.kind in MOUNT_KINDS for a in addresses) else {}
    objects = {str(a): _object(client, catalog, a, mounts) for a in sorted(addresses)}
    return VaultSeen(kv=MappingProxyType(kv), objects=MappingProxyType(objects))
