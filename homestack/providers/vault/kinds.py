"""Per-kind rules of the vault target (rules are data): where each object lives in Vault's
API and how a read answer becomes the comparable form of a desired body.

``comparable`` and ``live`` produce the same shape, so plan compares them with ``==``. Fields
Vault cannot return (a connection's password) stay out of the comparable form; their
reference is still in the body, so changing it changes the content hash and re-applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homestack.model import Resource, VaultSettings
from homestack.providers.vault.catalog import (
    AUTH_ROLE,
    CONNECTION,
    GENERATED,
    KV_MOUNT,
    MOUNT,
    POLICY,
    STATIC_ROLE,
)

_DURATION = re.compile(r"^(\d+)([smhd]?)$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MOUNT_DESCRIPTION = "managed-by: homestack"


def seconds(value: Any) -> int:
    """A Vault duration (``168h``, ``7d``, ``3600``) in seconds."""
    if isinstance(value, int):
        return value
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (write it like '168h')")
    return int(match.group(1)) * _SECONDS[match.group(2)]


def _role_comparable(body: dict[str, Any]) -> dict[str, Any]:
    return {"bound_service_account_names": sorted(body.get("bound_service_account_names") or []),
            "bound_service_account_namespaces":
                sorted(body.get("bound_service_account_namespaces") or []),
            "token_policies": sorted(body.get("token_policies") or []),
            "token_ttl": seconds(body.get("token_ttl") or 0)}


def _static_comparable(body: dict[str, Any]) -> dict[str, Any]:
    return {"db_name": body.get("db_name"), "username": body.get("username"),
            "rotation_period": seconds(body.get("rotation_period") or 0)}


def _connection_comparable(body: dict[str, Any]) -> dict[str, Any]:
    return {"plugin_name": body.get("plugin_name"), "connection_url": body.get("connection_url"),
            "username": body.get("username"),
            "allowed_roles": sorted(body.get("allowed_roles") or [])}


def _connection_live(data: dict[str, Any]) -> dict[str, Any]:
    details = data.get("connection_details") or {}
    return _connection_comparable({**data, "connection_url": details.get("connection_url"),
                                   "username": details.get("username")})


@dataclass(frozen=True)
class KindRule:
    """How one vault kind is read, compared and written."""

    path: Callable[[VaultSettings, str], str]
    comparable: Callable[[dict[str, Any]], dict[str, Any]]
    live: Callable[[dict[str, Any]], dict[str, Any]]


def _policy(body: dict[str, Any]) -> dict[str, Any]:
    return {"policy": body.get("policy") or body.get("rules") or ""}


RULES: dict[str, KindRule] = {
    POLICY: KindRule(lambda s, n: f"sys/policies/acl/{n}", _policy, _policy),
    AUTH_ROLE: KindRule(lambda s, n: f"auth/{s.kubernetes_mount}/role/{n}",
                        _role_comparable, _role_comparable),
    STATIC_ROLE: KindRule(lambda s, n: f"{s.database_mount}/static-roles/{n}",
                          _static_comparable, _static_comparable),
    CONNECTION: KindRule(lambda s, n: f"{s.database_mount}/config/{n}",
                         _connection_comparable, _connection_live),
}
MOUNT_KINDS = frozenset({MOUNT, KV_MOUNT})


def mount_comparable(body: dict[str, Any]) -> dict[str, Any]:
    """The comparable form of a mount: its type (and KV version)."""
    version = str((body.get("options") or {}).get("version") or body.get("version") or "")
    return {"type": body.get("type"), **({"version": version} if body.get("type") == "kv"
                                         else {})}


# Apply order inside the vault target (deletes in reverse): engines before what lives in them,
# policies before the roles that grant them.
KIND_RANK: dict[str, int] = {
    KV_MOUNT: 0, MOUNT: 0, GENERATED: 1, POLICY: 1, CONNECTION: 2, STATIC_ROLE: 3, AUTH_ROLE: 4,
}


def rank(kind: str) -> int:
    """Apply rank of a vault kind."""
    return KIND_RANK.get(kind, len(KIND_RANK))


def handled_kind(resource: Resource) -> bool:
    """True for the vault kinds this target plans."""
    return resource.kind in RULES or resource.kind in MOUNT_KINDS or resource.kind == GENERATED
