"""Two Sites on one cluster: each labels what it applies with its Site, and never takes the
other's objects for its own: no prune, no silent takeover (a Stack name both use is refused
with the other Site named)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tests.providers.conftest import FIXTURE

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

TAIL_B = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("tail", namespace="apps")
raw(stack, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "tail-b"},
            "data": {"site": "b"}})
'''


def _homestack(root: Path, kubeconfig: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "NO_COLOR": "1", "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, env=env, timeout=180, check=False)


def _other_site(tmp_path: Path) -> Path:
    root = tmp_path / "otherlab"
    root.mkdir()
    site = (FIXTURE / "site.py").read_text().replace('name="kubelab"', 'name="otherlab"')
    (root / "site.py").write_text(site)
    (root / "stacks" / "tail").mkdir(parents=True)
    (root / "stacks" / "tail" / "stack.py").write_text(TAIL_B)
    return root


def test_a_site_never_prunes_or_takes_what_another_site_applied(kubelab: KubeLab,
                                                                tmp_path: Path) -> None:
    first = _homestack(kubelab.root, kubelab.kubeconfig, "apply", "--yes")
    assert first.returncode == 0, first.stdout + first.stderr
    tail = kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").body
    assert tail["metadata"]["labels"]["homestack.dev/site"] == "kubelab"
    other = _other_site(tmp_path)
    planned = _homestack(other, kubelab.kubeconfig, "plan", "--json")
    changes = [c for s in json.loads(planned.stdout)["stacks"] for c in s["changes"]]
    assert not [c for c in changes if c["action"] == "delete"], changes
    [parent] = [c for c in changes if "homestack-applyset-tail" in c["address"]]
    assert parent["action"] == "adopt"
    assert any("applied by Site kubelab" in f for f in parent["fields"])
    refused = _homestack(other, kubelab.kubeconfig, "apply", "--yes")
    assert refused.returncode == 1
    assert kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").ok
    assert not kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail-b").ok
    again = _homestack(kubelab.root, kubelab.kubeconfig, "plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr


def test_objects_from_before_site_labels_are_still_the_sites_and_are_not_rewritten(
        kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed  # through the API without a Site: no Site label
    tail = kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").body
    assert "homestack.dev/site" not in tail["metadata"].get("labels", {})
    planned = _homestack(kubelab.root, kubelab.kubeconfig, "plan", "--detailed-exitcode")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    kubelab.edit("tail", '"after": "web"', '"after": "web", "more": "1"')
    assert _homestack(kubelab.root, kubelab.kubeconfig, "apply", "--yes").returncode == 0
    tail = kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").body
    assert tail["metadata"]["labels"]["homestack.dev/site"] == "kubelab"
    shutil.rmtree(kubelab.root / "stacks" / "tail")
    pruned = _homestack(kubelab.root, kubelab.kubeconfig, "apply", "--yes", "--allow-prune")
    assert pruned.returncode == 0, pruned.stdout + pruned.stderr
    assert not kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").ok
