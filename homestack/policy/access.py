"""Who may reach which host: the matrix host → auth mode → allowed groups → users.

Computed from the rendered ingresses alone (the kit records the auth mode and allowed groups as
annotations) and the Site's identity roster, so ``homestack access`` and the generated Authentik
blueprints read one source. The admin group is always allowed through forward-auth; users with
the ``admin`` role count as its members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from homestack.model import Identity, Resource, Role
from homestack.model import annotations as a
from homestack.policy import _manifest as m
from homestack.policy.context import Item
from homestack.policy.rules.auth import INGRESS_KINDS, hosts


@dataclass(frozen=True)
class AccessRow:
    """One host: how it is gated and, for ``required``, who gets through."""

    host: str
    stack: str
    address: str
    auth: str
    groups: tuple[str, ...]
    users: tuple[str, ...]

    @property
    def anyone(self) -> bool:
        """True when the edge lets everybody in (the backend or nothing gates it)."""
        return self.auth != "required"


def members(identity: Identity) -> dict[str, set[str]]:
    """Group name → user names: declared members, plus admin-role users in the admin group."""
    found: dict[str, set[str]] = {group.name: set(group.members) for group in identity.groups}
    admins = found.setdefault(identity.admin_group, set())
    admins.update(user.name for user in identity.users if user.role is Role.ADMIN)
    return found


def allowed_groups(identity: Identity, notes: Mapping[str, str]) -> tuple[str, ...]:
    """The groups a ``required`` ingress lets in, the admin group always among them."""
    groups = m.split_list(notes.get(a.ALLOWED_GROUPS)) or [identity.admin_group]
    return tuple(dict.fromkeys([*groups, identity.admin_group]))


def access_matrix(
    identity: Identity, resources: Mapping[str, Sequence[Resource]]
) -> list[AccessRow]:
    """One row per host of every rendered Ingress/IngressRoute, sorted by host then Stack."""
    by_group = members(identity)
    rows: list[AccessRow] = []
    for stack in sorted(resources):
        for resource in resources[stack]:
            if resource.k8s_kind not in INGRESS_KINDS:
                continue
            item = Item(stack, resource)
            notes = m.annotations_of(resource.body)
            mode = notes.get(a.AUTH, "")
            groups: tuple[str, ...] = ()
            users: tuple[str, ...] = ()
            if mode == "required":
                groups = allowed_groups(identity, notes)
                users = tuple(sorted(set().union(*(by_group.get(g, set()) for g in groups))))
            for host in hosts(item):
                rows.append(AccessRow(host, stack, resource.address, mode, groups, users))
    return sorted(rows, key=lambda row: (row.host, row.stack, row.address))
