"""A run killed with SIGKILL while PVE clones a VM: the next run converges with one VM per
Site VM, never two. The fake PVE runs in the test process, so its clone task outlives the
killed client, as it would on a real host."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from .conftest import PveLab, cli_env

NODES = (200, 201, 202, 203, 204)
CLONE = ("POST", "/nodes/pve/qemu/9000/clone")


def _homestack(lab: PveLab, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=cli_env(), check=False,
                          timeout=180)


def test_a_run_killed_mid_clone_converges_with_one_vm_each(pvelab: PveLab) -> None:
    store = pvelab.fake.store
    store.durations["qmclone"] = 3.0
    child = subprocess.Popen(
        [sys.executable, "-m", "homestack", "-C", str(pvelab.root), "apply", "--yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env())
    deadline = time.monotonic() + 60
    while CLONE not in pvelab.fake.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL, "the apply finished before it could be killed"
    with store.lock:
        assert store.vms[200].lock == "clone", "the kill did not land during the clone"
    store.durations["qmclone"] = 0.02
    finished = _homestack(pvelab, "apply", "--yes")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    clones = sorted(int(vmid) for kind, vmid in store.writes if kind == "qmclone")
    assert clones == list(NODES)
    assert sorted(store.vms) == [*NODES, 9000]
    assert all(store.vms[v].status == "running" for v in NODES)
    assert store.vms[200].config["memory"] == "32768"
    assert _homestack(pvelab, "plan", "--detailed-exitcode").returncode == 0
