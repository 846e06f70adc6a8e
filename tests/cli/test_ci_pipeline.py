"""``homestack ci pipeline``: the generated CI files are YAML with the documented steps, the
pinned install, and the Site's secrets taken from the CI system by name."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from homestack_testing.homelabs import copy_homelab
from tests.conftest import SMALL_HOMELAB

INSTALL = "homestack[helm] @ git+https://git.example.org/me/homestack@v0.1.0"


def _pipeline(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), "ci",
                           "pipeline", *args], capture_output=True, text=True, check=False,
                          timeout=60)


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    root = copy_homelab(SMALL_HOMELAB, tmp_path / "lab")
    site = root / "site.py"
    site.write_text(site.read_text().replace("    Disk,\n", "    Cluster,\n    Disk,\n").replace(
        '    name="small",\n', '    name="small",\n    cluster=Cluster(context="lab"),\n'))
    return root


@pytest.mark.parametrize("flavour", ["--woodpecker", "--forgejo", "--github"])
def test_the_pipeline_file_is_yaml_with_the_documented_steps(lab: Path, flavour: str) -> None:
    out = lab / "pipeline.yaml"
    done = _pipeline(lab, flavour, "-o", str(out), "--install", INSTALL)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(out.read_text())
    install = f"pip install --quiet '{INSTALL}'"
    kubeconfig = 'export KUBECONFIG="$(mktemp)" && printf \'%s\\n\' "$KUBECONFIG_DATA" > ' \
                 '"$KUBECONFIG"'
    if flavour == "--woodpecker":
        steps = {s["name"]: s for s in data["steps"]}
        assert list(steps) == ["validate", "plan", "apply", "drift"]
        assert steps["drift"]["when"] == [{"event": "cron", "cron": "nightly-drift"}]
        # Woodpecker substitutes $VAR itself: the shell's variables are escaped as $$VAR
        assert steps["apply"]["commands"] == [
            install, kubeconfig.replace("$", "$$"),
            "homestack ci plan --out homestack-plan.json || [ $$? -eq 2 ]",
            "homestack ci apply --plan homestack-plan.json"]
        assert steps["plan"]["environment"] == {
            "HOMESTACK_STATE_URL": {"from_secret": "homestack_state_url"},
            "KUBECONFIG_DATA": {"from_secret": "kubeconfig"},
            "HOMESTACK_NOTIFY": {"from_secret": "homestack_notify"}}
    else:
        assert list(data["jobs"]) == ["validate", "plan", "apply", "drift"]
        apply = data["jobs"]["apply"]
        assert apply["steps"][-1]["run"].splitlines() == [
            install, kubeconfig,
            "homestack ci plan --out homestack-plan.json || [ $? -eq 2 ]",
            "homestack ci apply --plan homestack-plan.json"]
        assert apply["env"]["KUBECONFIG_DATA"] == "${{ secrets.KUBECONFIG }}"
        assert data["jobs"]["drift"]["steps"][-1]["run"].splitlines()[-1].startswith(
            "homestack ci drift")
    assert "homestack_state_url: the PostgreSQL state URL" in done.stderr


def test_the_secrets_follow_the_site(lab: Path) -> None:
    site = lab / "site.py"
    site.write_text(site.read_text().replace("    Disk,\n", "    Disk,\n    VaultSettings,\n")
                    .replace('    name="small",\n', '    name="small",\n'
                             '    vault=VaultSettings(address="https://vault.example.org"),\n'))
    done = _pipeline(lab, "--woodpecker", "-o", "-", "--json")
    assert done.returncode == 0, done.stderr
    secrets = {s["name"]: s for s in json.loads(done.stdout)["secrets"]}
    assert list(secrets) == ["homestack_state_url", "kubeconfig", "vault_token",
                             "homestack_notify"]
    assert secrets["kubeconfig"]["file"] is True and secrets["vault_token"]["file"] is False


def test_dash_writes_the_pipeline_to_standard_output(lab: Path) -> None:
    done = _pipeline(lab, "--github", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert list(yaml.safe_load(done.stdout)["jobs"]) == ["validate", "plan", "apply", "drift"]
    assert not (lab / "-").exists()


def test_an_empty_install_is_refused(lab: Path) -> None:
    done = _pipeline(lab, "--github", "--install", " ")
    assert done.returncode == 3 and "--install names nothing" in done.stderr
