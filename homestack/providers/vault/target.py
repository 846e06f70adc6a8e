"""The ``vault`` target: checks secret references and applies policies, Kubernetes auth roles,
database connections and static roles, mounts and generated KV keys, on Vault or OpenBao.

It is opened with the homelab's Vault needs (a ``Catalog``, derived from every Stack's
Resources) and a logged-in client; it keeps nothing else between calls, so Stacks may be
planned and applied from several threads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from homestack.model import Provider, Resource, Site
from homestack.model.changeset import Action, Change, ChangeSet, Recorder
from homestack.providers.vault import plan as planning
from homestack.providers.vault.catalog import Catalog, build_catalog
from homestack.providers.vault.client import VaultClient
from homestack.providers.vault.kinds import handled_kind, rank
from homestack.providers.vault.observe import VaultSeen, observe
from homestack.providers.vault.write import perform
from homestack.state import StackRecord


class VaultTarget:
    """Plans and applies one homelab's Vault objects through one client."""

    name = "vault"

    def __init__(self, client: VaultClient, catalog: Catalog) -> None:
        self.client = client
        self.catalog = catalog

    def identity(self) -> str:
        settings = self.client.settings
        return f"{settings.address} namespace={settings.namespace or ''}"

    def handles(self, resource: Resource) -> bool:
        return resource.provider is Provider.VAULT and handled_kind(resource)

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        """The Stack's policy and auth role, and the Site objects it owns (see ``catalog``)."""
        return self.catalog.companions(stack)

    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]
                ) -> VaultSeen:
        return observe(self.client, self.catalog, desired, recorded)

    def plan_stack(self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
                   seen: VaultSeen, *, confirm: bool = True) -> list[Change]:
        changes = planning.plan_stack(stack, desired, recorded, seen, self.catalog)
        return sorted(changes, key=lambda c: rank(c.address.kind))

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        ordered = sorted(changes, key=lambda c: (c.action is Action.DELETE,
                                                 rank(c.address.kind)))
        writes = [c for c in ordered if c.action is not Action.DELETE]
        deletes = sorted((c for c in ordered if c.action is Action.DELETE),
                         key=lambda c: rank(c.address.kind), reverse=True)
        for change in [*writes, *deletes]:
            recorder.intent(change)
            perform(self.client, stack, change)
            recorder.done(change, change.address.name)

    def finish(self, changeset: ChangeSet) -> str | None:
        return None

    def close(self) -> None:
        self.client.close()


def open_vault(site: Site, resources: Mapping[str, Sequence[Resource]]) -> VaultTarget:
    """Log in to the Site's Vault and open the target for the homelab's ``resources``."""
    catalog = build_catalog(site, resources)
    assert site.vault is not None
    return VaultTarget(VaultClient(site.vault), catalog)
