"""Perform planned Vault changes: write policies, roles, connections and mounts; create or
rotate generated KV keys; delete what the Stack owned.

Generated values are drawn here, at apply time, with ``secrets`` (keypairs with ``keypair``)
and go straight into a KV write guarded by check-and-set (the version read just before; 0 when
the path is missing), after checking that the key is still as the plan saw it, so a concurrent
writer makes the apply fail instead of being overwritten.
Database root passwords are read from their KV reference here and sent to Vault only. No
value is logged or returned.
"""

from __future__ import annotations

import secrets
from typing import Any

from homestack.kit.generated import PUBLIC_SUFFIX
from homestack.model import Resource, SecretRef
from homestack.model.changeset import Action, Change
from homestack.providers.errors import ConflictError, NotFoundError, ProviderError
from homestack.providers.vault.catalog import CONNECTION, GENERATED, KV_MOUNT, kv_split
from homestack.providers.vault.client import VaultClient
from homestack.providers.vault.keypair import keypair
from homestack.providers.vault.kinds import MOUNT_DESCRIPTION, MOUNT_KINDS, RULES
from homestack.providers.vault.plan import GENERATION, OWNED

STACK_MARK = "homestack.stack"


def _draw(length: int, alphabet: str) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _kv_value(client: VaultClient, reference: str) -> str:
    ref = SecretRef.parse(reference)
    mount, rest = kv_split(ref.path)
    found = client.kv_read(mount, rest)
    if found is None or ref.key not in found[0]:
        raise NotFoundError(f"secret reference {reference} does not resolve",
                            subject=reference, hint="Write it to Vault first")
    return str(found[0][ref.key])


def _version(current: tuple[dict[str, Any], dict[str, Any]] | None) -> int:
    """The KV version just read: check-and-set makes the read-modify-write atomic."""
    return int(current[1].get("version") or 0) if current else 0


def _unchanged_since_plan(change: Change, key: str,
                          current: tuple[dict[str, Any], dict[str, Any]] | None) -> None:
    """Refuse when someone else filled (or rotated) the key after the plan saw it.

    Several generated keys of one path are written one after the other in one apply, so the
    path's version moves under us; what must not have moved is this key.
    """
    resource = change.resource
    assert resource is not None
    if current is None:
        return
    if change.action is Action.CREATE and key in current[0]:
        raise ConflictError(f"{change.address}: the key was written since the plan",
                            subject=str(change.address), hint="Plan again")
    had = (current[1].get("custom_metadata") or {}).get(GENERATION + key)
    if change.action is Action.UPDATE and had is not None and \
            int(had) >= int(resource.body["generation"]):
        raise ConflictError(f"{change.address}: the key was rotated since the plan",
                            subject=str(change.address), hint="Plan again")


def _write_generated(client: VaultClient, stack: str, change: Change) -> None:
    resource = change.resource
    assert resource is not None
    path, key = str(resource.body["path"]), str(resource.body["key"])
    mount, rest = kv_split(path)
    current = client.kv_read(mount, rest)
    _unchanged_since_plan(change, key, current)
    data: dict[str, Any] = dict(current[0]) if current else {}
    if "public_key" in resource.body:  # a keypair: both halves in the same KV version
        data[key], data[str(resource.body["public_key"])] = keypair(
            str(resource.body["kind"]), f"homestack {path}#{key}")
    else:
        data[key] = _draw(int(resource.body["length"]), str(resource.body["alphabet"]))
    client.call(str(change.address), lambda c: c.secrets.kv.v2.create_or_update_secret(
        path=rest, secret=data, cas=_version(current), mount_point=mount),
        repeatable=False)
    custom = dict(current[1].get("custom_metadata") or {}) if current else {}
    custom.update({GENERATION + key: str(resource.body["generation"]), STACK_MARK: stack})
    client.call(str(change.address), lambda c: c.secrets.kv.v2.update_metadata(
        path=rest, custom_metadata=custom, mount_point=mount))


def _delete_generated(client: VaultClient, change: Change) -> None:
    path, _, key = change.address.name.partition("#")
    mount, rest = kv_split(path)
    current = client.kv_read(mount, rest)
    if current is None or key not in current[0]:
        return
    # A keypair's public half goes with its private key.
    data = {k: v for k, v in current[0].items() if k not in (key, key + PUBLIC_SUFFIX)}
    client.call(str(change.address), lambda c: c.secrets.kv.v2.create_or_update_secret(
        path=rest, secret=data, cas=_version(current), mount_point=mount),
        repeatable=False)


def _write_mount(client: VaultClient, resource: Resource) -> None:
    options = {"version": "2"} if resource.kind == KV_MOUNT else None
    client.call(resource.address, lambda c: c.sys.enable_secrets_engine(
        backend_type=str(resource.body["type"]), path=resource.name,
        description=MOUNT_DESCRIPTION, options=options))


def _write(client: VaultClient, stack: str, change: Change) -> None:
    resource = change.resource
    if resource is None:
        raise ProviderError(f"{change.address}: a write without its Resource", subject=stack)
    if resource.kind == GENERATED:
        _write_generated(client, stack, change)
    elif resource.kind in MOUNT_KINDS:
        if change.action is Action.CREATE:
            _write_mount(client, resource)
        else:
            raise ProviderError(f"{resource.address}: a mount's type cannot change in place",
                                subject=stack, hint="Remove the mount from the Site first")
    else:
        body = dict(resource.body)
        if resource.kind == CONNECTION:
            body["password"] = _kv_value(client, str(body["password"]))
        client.write(RULES[resource.kind].path(client.settings, resource.name), body)


def _delete(client: VaultClient, change: Change) -> None:
    kind = change.address.kind
    owned = change.private == OWNED
    if kind == GENERATED:
        _delete_generated(client, change)
    elif kind in MOUNT_KINDS:
        if owned:
            client.call(str(change.address),
                        lambda c: c.sys.disable_secrets_engine(path=change.address.name))
    elif kind in RULES and owned:
        client.delete(RULES[kind].path(client.settings, change.address.name))


def perform(client: VaultClient, stack: str, change: Change) -> None:
    """Perform one planned change."""
    if change.action.writes:
        _write(client, stack, change)
    elif change.action is Action.DELETE:
        _delete(client, change)
