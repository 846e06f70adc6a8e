"""The reference homelab's roster drives its Resources: a user added changes exactly the
Authentik blueprint and that user's namespace, quota and RBAC."""

from __future__ import annotations

from pathlib import Path

from homestack.catalog import load
from homestack.engine import desired
from homestack_testing.homelabs import copy_homelab
from tests.examples.test_reference_homelab import ROOT, WANTED

NEW_USER = ('            User(name="lee", role=Role.NAMESPACE_OWNER, email="lee@example.org",\n'
            '                 namespaces=("lee",)),\n')


def _hashes(resources: dict[str, list]) -> dict[str, str]:  # type: ignore[type-arg]
    return {f"{stack}|{r.address}": r.content_hash for stack, rs in resources.items()
            for r in rs}


def test_a_new_roster_user_changes_the_blueprint_and_their_objects_only(tmp_path: Path) -> None:
    root = tmp_path / "homelab"
    copy_homelab(ROOT, root)
    site = root / "site.py"
    text = site.read_text()
    anchor = "        users=(\n"
    assert anchor in text
    site.write_text(text.replace(anchor, anchor + NEW_USER, 1))
    before, after = _hashes(WANTED.resources), _hashes(desired(load(root)).resources)
    added = sorted(set(after) - set(before))
    changed = sorted(k for k in set(after) & set(before) if after[k] != before[k])
    assert set(before) - set(after) == set()
    assert changed == ["authentik|k8s:v1:ConfigMap:authentik/homestack-blueprints"]
    assert added == [
        "tenants|k8s:rbac.authorization.k8s.io/v1:ClusterRoleBinding:homestack-lee-namespace-owner",
        "tenants|k8s:rbac.authorization.k8s.io/v1:RoleBinding:lee/homestack-lee-admin",
        "tenants|k8s:v1:LimitRange:lee/homestack-limits",
        "tenants|k8s:v1:Namespace:lee",
        "tenants|k8s:v1:ResourceQuota:lee/homestack-quota",
    ]
