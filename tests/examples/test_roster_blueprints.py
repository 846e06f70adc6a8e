"""The reference homelab's Authentik blueprint: generated into the authentik Stack, mounted into
the worker, one application per required host; a broken hand-written blueprint names its line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from homestack.cli import app
from homestack.policy.access import access_matrix
from homestack.policy.blueprint_format import load, problems
from homestack.policy.blueprints import CONFIG_MAP, FILE, MOUNT, slug
from homestack_testing.homelabs import copy_homelab
from tests.examples.test_reference_homelab import HOMELAB, ROOT, WANTED

AUTHENTIK = WANTED.resources["authentik"]


def _config_map_text() -> str:
    (found,) = [r for r in AUTHENTIK if r.k8s_kind == "ConfigMap" and r.object_name == CONFIG_MAP]
    return str(found.body["data"][FILE])


def test_the_blueprint_is_valid_and_covers_every_required_host() -> None:
    document = load(_config_map_text())
    assert problems(document) == []
    required = {row.host for row in access_matrix(HOMELAB.site.identity, WANTED.resources)
                if row.auth == "required"}
    assert required
    apps = {e["identifiers"]["slug"] for e in document["entries"]
            if e["model"] == "authentik_core.application"}
    assert apps == {slug(host) for host in required}


def test_the_worker_mounts_the_blueprint_where_authentik_discovers_it() -> None:
    (worker,) = [r for r in AUTHENTIK if r.k8s_kind == "Deployment" and r.object_name == "worker"]
    spec = worker.body["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m["name"] for c in spec["containers"] for m in c["volumeMounts"]}
    assert volumes[mounts[MOUNT]]["configMap"]["name"] == CONFIG_MAP


def test_a_broken_hand_written_blueprint_is_refused_naming_the_stack_line(tmp_path: Path) -> None:
    root = tmp_path / "homelab"
    copy_homelab(ROOT, root)
    path = root / "stacks" / "authentik" / "blueprints.yaml"
    path.write_text(path.read_text().replace("authentik_outposts.outpost", "authentik_outpost"))
    result = CliRunner().invoke(app, ["-C", str(root), "validate"])
    assert result.exit_code == 1, result.output  # a blocking policy finding
    assert "HS-AUTHENTIK-001" in result.output
    assert "stacks/authentik/stack.py:" in result.output
    assert "unknown model 'authentik_outpost'" in result.output
