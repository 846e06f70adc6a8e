"""The fake PVE node (HTTPS on 127.0.0.1, in this process: it outlives a killed client) and a
homelab made of the reference homelab's Site plus one Stack that claims its cluster VMs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import ChangeSet, EngineOptions, desired, destroy, drift, plan, plan_and_apply
from homestack.model import Provider
from homestack.providers.proxmox import PveOptions, open_pve
from homestack.state import SqliteStore
from homestack_testing.proxmox import FakePve, require_openssl

REFERENCE = Path(__file__).parents[3] / "examples" / "reference-homelab"
TOKEN = {"PVE_TOKEN_ID": "homestack@pve!homestack", "PVE_TOKEN_SECRET": "s3cr3t",
         "HOMESTACK_KUBEADM_TOKEN": "abcdef.0123456789abcdef",
         "HOMESTACK_KUBEADM_CA_HASH": "sha256:" + "ab" * 32}
TEMPLATE = {"scsi0": "local-lvm:base-9000-disk-0,size=8G",
            "ide2": "local-lvm:vm-9000-cloudinit,media=cdrom", "cores": "1", "memory": "2048",
            "scsihw": "virtio-scsi-pci", "net0": "virtio=BC:24:11:00:90:00,bridge=vmbr0"}
STACK = '''"""The cluster's machines."""

from homestack import Stack, StateTier
from homestack.kit import proxmox_vms

stack = Stack("machines", namespace="kube-system", state_tier=StateTier.STANDARD)
proxmox_vms(stack, only=["k8s"])
'''


def settings_code(fake: FakePve) -> str:
    return f'''

from homestack.model import CloudInit, NodeJoin, Proxmox

site = site.model_copy(update={{"proxmox": Proxmox(
    url="{fake.url}", ca_file="{fake.cert}", template=9000, task_timeout=TIMEOUT,
    snippets_dir="{fake.store.snippets_dir}",
    cloud_init=CloudInit(user="ops", ssh_keys=("ssh-ed25519 AAAAC3Nz ops@lab",),
                         nameservers=("10.0.20.201",), search_domain="home.arpa"),
    join=NodeJoin(endpoint="10.0.20.100:6443")),
    # short leases so a killed run's lease expires within the test
    "state": site.state.model_copy(update={{"lease_ttl_seconds": 2.0}})}})
'''


class PveLab:
    """The homelab copy, its state, and the fake PVE node it applies to."""

    def __init__(self, root: Path, fake: FakePve) -> None:
        self.root, self.fake = root, fake

    def run(self, verb: str, options: EngineOptions | None = None,
            pve: PveOptions | None = None) -> ChangeSet:
        wanted = desired(load(self.root))
        settings = wanted.homelab.site.proxmox
        assert settings is not None
        target = open_pve(settings, self.root, pve or PveOptions())
        store = SqliteStore(self.root / ".homestack" / "state.db", ttl=60)
        chosen = options or EngineOptions(parallelism=1)
        try:
            if verb == "destroy":
                return destroy(wanted, {Provider.PVE: target}, store, chosen, ["machines"])
            run = {"apply": plan_and_apply, "plan": plan, "drift": drift}[verb]
            return run(wanted, {Provider.PVE: target}, store, chosen)  # type: ignore[operator]
        finally:
            store.close()

    def edit_site(self, old: str, new: str) -> None:
        path = self.root / "site.py"
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    def config(self, vmid: int) -> dict[str, str]:
        with self.fake.store.lock:
            return dict(self.fake.store.vms[vmid].config)


@pytest.fixture
def pvelab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PveLab]:
    require_openssl()
    fake = FakePve(tmp_path / "pve").start()
    fake.store.durations.update(dict.fromkeys(("qmclone", "qmstart", "qmconfig", "resize",
                                               "qmreboot", "qmstop", "qmdestroy"), 0.02))
    fake.add_template(9000, "debian-cloud", TEMPLATE)
    for name, value in TOKEN.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "lab"
    (root / "stacks" / "machines").mkdir(parents=True)
    shutil.copy(REFERENCE / "site.py", root / "site.py")
    (root / "stacks" / "machines" / "stack.py").write_text(STACK)
    with (root / "site.py").open("a") as handle:
        handle.write("\nTIMEOUT = 10.0\n" + settings_code(fake))
    yield PveLab(root, fake)
    fake.stop()


def move_to_vlan_30(lab: PveLab) -> None:
    """Edit the Site: every cluster node moves from VLAN 20 to VLAN 30 (10.0.30.0/24)."""
    lab.edit_site('Nic(bridge="vmbr1", vlan=20, ip=f"{ip}/24")',
                  'Nic(bridge="vmbr1", vlan=30, ip=f"{ip.replace(\'.20.\', \'.30.\')}/24")')


def cli_env() -> dict[str, str]:
    """The environment of a ``homestack`` subprocess: the API and kubeadm tokens."""
    return {**os.environ, **TOKEN, "NO_COLOR": "1"}
