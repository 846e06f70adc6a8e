"""Authentik blueprints generated from the roster and the rendered ingresses.

One blueprint, ``homestack-roster``: the roster's groups (the admin group is superuser), its
users with their group memberships, the departed users' accounts as absent, one proxy provider
(forward auth, single application) and one application per host whose auth is ``required``,
and one expression policy bound to every such application: the host → groups table, default
deny (a host missing from the table or a user in none of its groups is refused). The providers
are attached to the forward-auth outpost. It lands in a ConfigMap in the ``authentik``
namespace, mounted into the worker under ``/blueprints/homestack`` where Authentik discovers
blueprints.

Entries are sorted by name, so the same roster and ingresses give byte-identical YAML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from homestack.model import Identity, ModelError, Resource
from homestack.model import annotations as a
from homestack.policy.access import AccessRow, members
from homestack.policy.blueprint_format import Find, KeyOf, dump, problems

NAMESPACE = "authentik"
CONFIG_MAP = "homestack-blueprints"
FILE = "homestack.yaml"
MOUNT = "/blueprints/homestack"
BLUEPRINT_NAME = "homestack-roster"
POLICY_NAME = "homestack-host-groups"
AUTHORIZATION_FLOW = "default-provider-authorization-implicit-consent"
INVALIDATION_FLOW = "default-provider-invalidation-flow"
PRESENT = "present"
ABSENT = "absent"  # Authentik deletes the object the identifiers find
# The proxy outpost that serves forward-auth for ``required`` ingresses; the generated providers
# are attached to it (its connection settings stay with whoever declares it).
FORWARD_AUTH_OUTPOST = "forward-auth"


def slug(host: str) -> str:
    """An Authentik slug for ``host`` (letters, digits and dashes)."""
    return re.sub(r"[^a-z0-9-]+", "-", host.lower()).strip("-")


def _entry(model: str, identifiers: dict[str, Any], attrs: dict[str, Any],
           entry_id: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"model": model}
    if entry_id:
        entry["id"] = entry_id
    entry.update({"identifiers": identifiers, "attrs": attrs, "state": PRESENT})
    return entry


def _group(name: str) -> Find:
    return Find("authentik_core.group", "name", name)


def _roster(identity: Identity) -> list[dict[str, Any]]:
    by_group = members(identity)
    entries = [
        _entry("authentik_core.group", {"name": name},
               {"name": name, "is_superuser": name == identity.admin_group})
        for name in sorted(by_group)
    ]
    for user in sorted(identity.users, key=lambda u: u.name):
        groups = [_group(name) for name in sorted(by_group) if user.name in by_group[name]]
        entries.append(_entry("authentik_core.user", {"username": user.name}, {
            "username": user.name, "name": user.name, "email": user.email,
            "is_active": True, "groups": groups}))
    entries.extend({"model": "authentik_core.user", "identifiers": {"username": name},
                    "attrs": {}, "state": ABSENT} for name in sorted(set(identity.departed)))
    return entries


def _policy(required: Sequence[AccessRow]) -> dict[str, Any]:
    lines = ["ALLOWED = {",
             *(f"    {slug(row.host)!r}: {list(row.groups)!r}," for row in required),
             "}",
             "# default deny: an application missing here, or a user in none of its groups",
             "groups = ALLOWED.get(getattr(request.obj, 'slug', ''), [])",
             "return any(ak_is_group_member(request.user, name=g) for g in groups)"]
    return _entry("authentik_policies_expression.expressionpolicy", {"name": POLICY_NAME},
                  {"name": POLICY_NAME, "execution_logging": False,
                   "expression": "\n".join(lines) + "\n"}, entry_id="host-groups")


def _applications(required: Sequence[AccessRow]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for row in required:
        name = slug(row.host)
        entries.append(_entry("authentik_providers_proxy.proxyprovider", {"name": name}, {
            "name": name, "mode": "forward_single", "external_host": f"https://{row.host}",
            "authorization_flow": Find("authentik_flows.flow", "slug", AUTHORIZATION_FLOW),
            "invalidation_flow": Find("authentik_flows.flow", "slug", INVALIDATION_FLOW),
        }, entry_id=f"provider-{name}"))
        entries.append(_entry("authentik_core.application", {"slug": name}, {
            "name": row.host, "slug": name, "provider": KeyOf(f"provider-{name}"),
            "policy_engine_mode": "all", "meta_launch_url": f"https://{row.host}",
        }, entry_id=f"application-{name}"))
        entries.append(_entry("authentik_policies.policybinding", {
            "policy": KeyOf("host-groups"), "target": KeyOf(f"application-{name}"), "order": 0,
        }, {"enabled": True, "negate": False, "timeout": 30}))
    return entries


def blueprint(identity: Identity, rows: Sequence[AccessRow]) -> dict[str, Any]:
    """The blueprint of ``identity`` and the ``required`` hosts among ``rows``."""
    required = sorted({row.host: row for row in rows if row.auth == "required"}.values(),
                      key=lambda row: row.host)
    entries = _roster(identity)
    if required:
        entries.append(_policy(required))
        entries.extend(_applications(required))
        entries.append(_entry("authentik_outposts.outpost", {"name": FORWARD_AUTH_OUTPOST}, {
            "name": FORWARD_AUTH_OUTPOST, "type": "proxy",
            "providers": [KeyOf(f"provider-{slug(row.host)}") for row in required]}))
    return {"version": 1,
            "metadata": {"name": BLUEPRINT_NAME,
                         "labels": {"blueprints.goauthentik.io/description":
                                    "Generated by Homestack from the roster and the ingresses"}},
            "entries": entries}


def blueprint_yaml(identity: Identity, rows: Sequence[AccessRow]) -> str:
    """The blueprint as YAML, checked against the blueprint structure."""
    document = blueprint(identity, rows)
    found = problems(document)
    if found:  # a generator bug, not an author's: say so plainly
        raise ModelError(f"generated Authentik blueprint is invalid: {'; '.join(found)}")
    return dump(document)


def config_map(identity: Identity, rows: Sequence[AccessRow]) -> Resource:
    """The ConfigMap the Authentik worker mounts at ``MOUNT``."""
    return Resource.k8s({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": CONFIG_MAP, "namespace": NAMESPACE,
                     "labels": {a.MANAGED_BY: a.FIELD_MANAGER}},
        "data": {FILE: blueprint_yaml(identity, rows)},
    })
