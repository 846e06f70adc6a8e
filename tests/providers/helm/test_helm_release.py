"""A Helm release planned and applied object by object against the loopback API server."""

from __future__ import annotations

import pytest

from homestack.catalog import CatalogError, load, render_all
from homestack.kit.helm import RELEASE
from homestack.model.changeset import Action
from homestack.model.kinds import APPLY_PHASE
from tests.providers.helm.conftest import HelmLab


def _changes(changeset: object) -> dict[str, Action]:
    return {str(c.address): c.action for s in changeset.stacks  # type: ignore[attr-defined]
            for c in s.changes if c.action.is_change}


def test_release_renders_as_helm_installs_it(helmlab: HelmLab) -> None:
    rendered = render_all(load(helmlab.root)).resources["demo"]
    by_address = {r.address: r for r in rendered}
    settings = by_address["k8s:v1:ConfigMap:demo/shop-settings"]
    assert settings.body["data"] == {"greeting": "hello", "namespace": "demo"}
    assert settings.body["metadata"]["annotations"][RELEASE] == "shop"
    assert "k8s:apiextensions.k8s.io/v1:CustomResourceDefinition:widgets.demo.example.org" \
        in by_address
    migrate = by_address["k8s:batch/v1:Job:demo/shop-migrate"]
    assert migrate.body["metadata"]["annotations"][APPLY_PHASE] == "before"
    installed = by_address["k8s:v1:ConfigMap:demo/shop-installed"]
    assert installed.body["metadata"]["annotations"][APPLY_PHASE] == "after"
    assert not any(r.k8s_kind == "Pod" for r in rendered), "test hooks are not installed"
    assert not any(r.k8s_kind == "Secret" for r in rendered), "no Helm release Secret"


def test_apply_then_plan_clean_then_one_value_moves_one_object(helmlab: HelmLab) -> None:
    first = helmlab.apply()
    assert not first.failed, [(s.stack, s.error) for s in first.failed]
    created = _changes(first)
    assert created["k8s:apps/v1:Deployment:demo/shop-web"] is Action.CREATE
    helmlab.server.reset_stats()
    assert _changes(helmlab.plan()) == {}
    assert set(helmlab.server.stats()["by_verb"]) == {"list"}, "a no-op plan makes no PATCH"

    helmlab.edit("demo", 'values={"greeting": "hello"}', 'values={"greeting": "bonjour"}')
    planned = helmlab.plan()
    assert _changes(planned) == {"k8s:v1:ConfigMap:demo/shop-settings": Action.UPDATE}
    diff = next(c.diff for s in planned.stacks for c in s.changes if c.action.is_change)
    assert "bonjour" in diff


def test_hooks_apply_in_helm_order(helmlab: HelmLab) -> None:
    assert not helmlab.apply().failed
    writes = [r.name for r in helmlab.server.requests if r.method == "PATCH"
              and r.name.startswith("shop-")]
    assert writes.index("shop-migrate") < writes.index("shop-web")
    assert writes.index("shop-migrate") < writes.index("shop-settings")
    assert writes.index("shop-installed") > writes.index("shop-web")


def test_a_version_that_drops_a_template_prunes_its_object(helmlab: HelmLab) -> None:
    assert not helmlab.apply().failed
    helmlab.edit("demo", 'version="1.0.0"', 'version="1.1.0"')
    planned = _changes(helmlab.plan())
    assert planned == {"k8s:v1:ConfigMap:demo/shop-settings": Action.DELETE}
    assert not helmlab.apply().failed
    assert _changes(helmlab.plan()) == {}
    lock = (helmlab.root / "charts.lock").read_text()
    assert "version: 1.0.0" in lock and "version: 1.1.0" in lock


def test_values_files_merge_before_the_dict(helmlab: HelmLab) -> None:
    folder = helmlab.root / "stacks" / "demo"
    (folder / "shop-values.yaml").write_text("greeting: from-file\nreplicas: 2\n")
    helmlab.edit("demo", 'values={"greeting": "hello"}',
                 'values_files=["shop-values.yaml"], values={"greeting": "hello"}')
    rendered = {r.object_name: r for r in render_all(load(helmlab.root)).resources["demo"]}
    assert rendered["shop-settings"].body["data"]["greeting"] == "hello"  # the dict wins
    assert rendered["shop-web"].body["spec"]["replicas"] == 2  # the file's value stays


def test_a_secret_reference_in_a_values_file_is_refused(helmlab: HelmLab) -> None:
    folder = helmlab.root / "stacks" / "demo"
    (folder / "shop-values.yaml").write_text("db:\n  password: secret/shop#db\n")
    helmlab.edit("demo", 'values={"greeting": "hello"}', 'values_files=["shop-values.yaml"]')
    with pytest.raises(CatalogError, match=r"stacks/demo/stack.py:6.*shop-values.yaml.db."
                                           r"password holds a secret reference"):
        render_all(load(helmlab.root))
