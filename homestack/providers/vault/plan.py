"""Plan one Stack's Vault objects purely from what was seen: creates, updates (drift or
pending, labelled by the engine), deletes of what the Stack owned and no longer declares, and
a failed change for every secret reference that does not exist.

Ownership: an object is deleted only when the Stack's record lists it; a policy that exists
without Homestack's marker, or a mount Homestack did not create, is never taken over or
removed. A generated KV key is never overwritten: it is created when missing and rewritten
only when its ``generation`` rises (a requested rotation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homestack.model import Provider, Resource
from homestack.model.address import Address
from homestack.model.changeset import Action, Change, Failure, FailureKind, Observed
from homestack.providers.errors import ProviderError
from homestack.providers.vault.catalog import (
    DATABASE_STORE,
    GENERATED,
    KV_STORE,
    STATIC_ROLE,
    Catalog,
    Reference,
)
from homestack.providers.vault.kinds import MOUNT_KINDS, RULES, mount_comparable
from homestack.providers.vault.observe import DB_CREDS, KvSeen, VaultSeen
from homestack.state import StackRecord

GENERATION = "homestack.generation."


def _where(reference: Reference) -> str:
    return ", ".join(str(o) for o in reference.origins) or "(origin unknown)"


def _missing(catalog: Catalog, seen: VaultSeen, reference: Reference) -> str | None:
    """Why ``reference`` does not resolve, or None when it does."""
    ref = reference.ref
    if ref.store == KV_STORE:
        if (ref.path, ref.key) in catalog.generated:
            return None
        entry = seen.kv.get(ref.path)
        if entry is None:
            return f"no KV secret at {ref.path}"
        return None if ref.key in entry.keys else f"KV secret {ref.path} has no key {ref.key!r}"
    if ref.store == DATABASE_STORE and DB_CREDS in ref.path:
        role = ref.path.partition(DB_CREDS)[2]
        live = seen.objects.get(str(Address(Provider.VAULT.value, STATIC_ROLE, role)))
        if role in catalog.static_roles or (live is not None and live.comparable is not None):
            return None
        return f"no database static role {role!r}"
    return None


def check_references(stack: str, catalog: Catalog, seen: VaultSeen) -> list[Change]:
    """A failed change per secret reference of ``stack`` that Vault cannot resolve."""
    changes = []
    for reference in catalog.references.get(stack, ()):
        why = _missing(catalog, seen, reference)
        if why is not None:
            ref = reference.ref
            message = (f"{_where(reference)}: secret reference {ref.path}#{ref.key} does not "
                       f"resolve ({why}); write it to Vault or fix the reference")
            changes.append(Change(stack, Address(Provider.VAULT.value, "kv", ref.path),
                                  Action.FAILED,
                                  failure=Failure(FailureKind.NOT_FOUND, message)))
    return changes


def _fields(want: Mapping[str, Any], have: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in set(want) | set(have) if want.get(k) != have.get(k)))


def _diff(fields: Sequence[str], want: Mapping[str, Any], have: Mapping[str, Any]) -> str:
    return "\n".join(f"{k}: {have.get(k)!r} -> {want.get(k)!r}" for k in fields)


def _generated(stack: str, resource: Resource, kv: KvSeen | None) -> Change:
    key = str(resource.body["key"])
    version = str(kv.version if kv else 0)
    observed = Observed(version=version, provider_id=resource.name)
    if kv is None or key not in kv.keys:
        return Change(stack, resource.typed_address, Action.CREATE, resource=resource,
                      observed=observed)
    had = kv.custom.get(GENERATION + key)
    if had is not None and int(had) < int(resource.body["generation"]):
        return Change(stack, resource.typed_address, Action.UPDATE, resource=resource,
                      observed=observed, fields=(f"generation {had} -> "
                                                 f"{resource.body['generation']} (rotate)",))
    return Change(stack, resource.typed_address, Action.UNCHANGED, resource=resource,
                  observed=observed)


def _comparable(resource: Resource) -> dict[str, Any]:
    if resource.kind in MOUNT_KINDS:
        return mount_comparable(resource.body)
    return RULES[resource.kind].comparable(resource.body)


def _object(stack: str, resource: Resource, seen: VaultSeen,
            recorded: StackRecord | None) -> Change:
    address = resource.typed_address
    live = seen.objects.get(str(address))
    if live is None:
        raise ProviderError(f"{address} was not observed in this run", subject=stack)
    observed = Observed(provider_id=resource.name)
    if live.comparable is None:
        return Change(stack, address, Action.CREATE, resource=resource, observed=observed)
    mine = recorded is not None and recorded.resource(resource.address) is not None
    if not live.owned and not mine and resource.kind not in MOUNT_KINDS:
        return Change(stack, address, Action.FAILED, resource=resource, failure=Failure(
            FailureKind.CONFLICT, f"{address} exists and was not made by Homestack; rename "
            "it, or delete it in Vault so Homestack can create it"))
    want = _comparable(resource)
    fields = _fields(want, live.comparable)
    if not fields:
        return Change(stack, address, Action.UNCHANGED, resource=resource, observed=observed)
    return Change(stack, address, Action.UPDATE, resource=resource, observed=observed,
                  fields=fields, diff=_diff(fields, want, live.comparable))


# The private data of a Vault delete: whether Homestack made the object (and may delete it)
# or found it there (and only stops recording it).
OWNED, FOUND = '{"owned": true}', '{"owned": false}'


def owned_mark(owned: bool) -> str:
    """The private data a delete carries."""
    return OWNED if owned else FOUND


def _deletes(stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
             seen: VaultSeen) -> list[Change]:
    if recorded is None:
        return []
    wanted = {r.address for r in desired}
    changes = []
    for entry in recorded.resources:
        address = Address.parse(entry.address)
        if address.provider != Provider.VAULT.value or entry.address in wanted:
            continue
        if address.kind == GENERATED:
            kv = seen.kv.get(address.name.partition("#")[0])
            version = str(kv.version) if kv else "0"
            changes.append(Change(stack, address, Action.DELETE,
                                  observed=Observed(version=version)))
            continue
        live = seen.objects.get(entry.address)
        owned = live is not None and live.owned
        changes.append(Change(stack, address, Action.DELETE, private=owned_mark(owned)))
    return changes


def plan_stack(stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
               seen: VaultSeen, catalog: Catalog) -> list[Change]:
    """The changes of ``stack``'s Vault objects (see the module docstring)."""
    changes = check_references(stack, catalog, seen)
    for resource in desired:
        if resource.kind == GENERATED:
            changes.append(_generated(stack, resource, seen.kv.get(str(resource.body["path"]))))
        else:
            changes.append(_object(stack, resource, seen, recorded))
    return changes + _deletes(stack, desired, recorded, seen)
