"""The provider registry: a provider is one package and one registry line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from homestack.catalog import load
from homestack.cli.targets import TargetName, opened_targets
from homestack.engine import Action, EngineOptions, desired, plan, plan_and_apply
from homestack.model import Provider, Resource
from homestack.providers.registry import REGISTRY, ProviderSpec, phase
from homestack.state import SqliteStore
from homestack_testing.homelabs import copy_homelab
from tests.providers.toy import WORLDS

IDENTITY = Resource(provider=Provider.AUTHENTIK, kind="group", name="admins",
                    body={"name": "admins", "superuser": True})


def test_a_sixth_provider_is_one_package_and_one_registry_line(small_homelab: Path,
                                                                tmp_path: Path) -> None:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    homelab = load(root)
    base = desired(homelab)
    wanted = replace(base, resources={**base.resources,
                                      "whoami": [*base.resources["whoami"], IDENTITY]})
    store = SqliteStore(tmp_path / "state.db")
    try:
        with opened_targets(TargetName.GITOPS, wanted) as targets:
            skipped = plan(wanted, targets, store, EngineOptions()).stack("whoami")
        assert skipped is not None
        [toy] = [c for c in skipped.changes if c.address.provider == "authentik"]
        assert toy.action is Action.SKIPPED  # no registry line: nothing opens it

        registry = {**REGISTRY,
                    Provider.AUTHENTIK: ProviderSpec("authentik", "tests.providers.toy", 4)}
        with opened_targets(TargetName.GITOPS, wanted, registry=registry) as targets:
            assert list(targets) == [Provider.K8S, Provider.AUTHENTIK]  # phase order
            result = plan_and_apply(wanted, targets, store, EngineOptions())
        assert not result.failed
        world = WORLDS[homelab.root]
        assert world.snapshot()["authentik:group:admins"].body["superuser"] is True
        with opened_targets(TargetName.GITOPS, wanted, registry=registry) as targets:
            assert not plan(wanted, targets, store, EngineOptions()).has_changes
    finally:
        store.close()


def test_phases_come_from_the_registry() -> None:
    assert [p.value for p in sorted(REGISTRY, key=lambda p: REGISTRY[p].phase)] == \
        ["pve", "vault", "k8s", "dns"]
    assert phase("k8s") == 2 and phase("authentik") == phase("no-such-provider") == 4
