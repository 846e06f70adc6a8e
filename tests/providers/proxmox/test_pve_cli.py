"""The ``homestack`` command with the ``pve`` target: --reboot, and destroy's data-loss guard."""

from __future__ import annotations

import subprocess
import sys

from .conftest import PveLab, cli_env, move_to_vlan_30


def _homestack(lab: PveLab, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env={**cli_env(), "COLUMNS": "200"},
                          check=False, timeout=180)


def test_pending_changes_wait_for_apply_reboot(pvelab: PveLab) -> None:
    assert _homestack(pvelab, "apply", "--yes").returncode == 0
    move_to_vlan_30(pvelab)
    assert _homestack(pvelab, "apply", "--yes").returncode == 0
    waiting = _homestack(pvelab, "plan", "--detailed-exitcode")
    assert waiting.returncode == 0 and "pending until reboot: ipconfig0" in waiting.stdout
    rebooting = _homestack(pvelab, "plan", "--reboot", "--detailed-exitcode")
    assert rebooting.returncode == 2 and "reboot applies pending ipconfig0" in rebooting.stdout
    assert _homestack(pvelab, "apply", "--yes", "--reboot").returncode == 0
    assert pvelab.config(202)["ipconfig0"] == "ip=10.0.30.102/24"
    assert not pvelab.fake.store.vms[202].pending


def test_destroy_without_allow_data_loss_is_refused(pvelab: PveLab) -> None:
    assert _homestack(pvelab, "apply", "--yes").returncode == 0
    refused = _homestack(pvelab, "destroy", "machines", "--yes")
    assert refused.returncode == 1
    assert "--allow-data-loss" in refused.stdout + refused.stderr
    assert 200 in pvelab.fake.store.vms
    done = _homestack(pvelab, "destroy", "machines", "--yes", "--allow-data-loss")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(pvelab.fake.store.vms) == [9000]
