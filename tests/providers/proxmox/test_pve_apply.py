"""The reference homelab's cluster VMs apply into the fake PVE through proxmoxer over HTTPS."""

from __future__ import annotations

import yaml

from homestack.engine import EngineOptions
from homestack.model.changeset import Action, DriftKind, FailureKind, StackOutcome
from homestack.providers.proxmox import PveOptions

from .conftest import PveLab, move_to_vlan_30

NODES = (200, 201, 202, 203, 204)


def _changes(result, action: Action) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(c.address) for s in result.stacks for c in s.changes if c.action is action]


def test_apply_creates_the_cluster_vms_with_their_config(pvelab: PveLab) -> None:
    result = pvelab.run("apply")
    assert not result.failed, [s.error for s in result.stacks]
    assert sorted(pvelab.fake.store.vms) == [*NODES, 9000]
    gpu = pvelab.config(201)
    assert gpu["hostpci0"] == "0000:06:00.0,pcie=1" and gpu["machine"] == "q35"
    assert gpu["cores"] == "16" and gpu["memory"] == "32768"
    assert gpu["net0"].endswith(",bridge=vmbr1,tag=20")
    assert gpu["ipconfig0"] == "ip=10.0.20.101/24,gw=10.0.20.1"
    assert gpu["scsi0"] == "local-lvm:vm-201-disk-0,size=128G"
    assert gpu["tags"] == "homestack;k8s" and "stack: machines" in gpu["description"]
    assert gpu["nameserver"] == "10.0.20.201" and gpu["searchdomain"] == "home.arpa"
    assert all(pvelab.fake.store.vms[v].status == "running" for v in NODES)
    assert "qmcreate" not in [kind for kind, _ in pvelab.fake.store.writes]  # cloned


def test_second_plan_is_empty(pvelab: PveLab) -> None:
    pvelab.run("apply")
    again = pvelab.run("plan")
    assert not again.has_changes, again.summary()
    assert _changes(again, Action.UNCHANGED) == [f"pve:vm:{v}" for v in NODES]


def test_the_kubeadm_join_user_data_each_node_gets(pvelab: PveLab) -> None:
    pvelab.run("apply")
    worker = pvelab.config(201)["cicustom"]
    assert worker.startswith("user=local:snippets/homestack-201-")
    snippet = pvelab.fake.store.snippets_dir / worker.split("/")[-1]  # type: ignore[operator]
    data = yaml.safe_load(snippet.read_text())
    assert data["runcmd"] == [["kubeadm", "join", "--config", "/etc/kubeadm/homestack.yaml"]]
    assert data["users"][0]["ssh_authorized_keys"] == ["ssh-ed25519 AAAAC3Nz ops@lab"]
    join = yaml.safe_load(data["write_files"][0]["content"])
    assert join["kind"] == "JoinConfiguration"
    token = join["discovery"]["bootstrapToken"]
    assert token["apiServerEndpoint"] == "10.0.20.100:6443"
    assert token["token"] == "abcdef.0123456789abcdef"
    assert token["caCertHashes"] == ["sha256:" + "ab" * 32]
    assert join["nodeRegistration"]["taints"] == [
        {"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}]
    assert join["nodeRegistration"]["kubeletExtraArgs"] == [
        {"name": "node-labels", "value": "gpu=true"}]
    master = pvelab.config(200)["cicustom"].split("/")[-1]
    folder = pvelab.fake.store.snippets_dir
    assert folder is not None
    init = yaml.safe_load((folder / master).read_text())
    docs = list(yaml.safe_load_all(init["write_files"][0]["content"]))
    assert [d["kind"] for d in docs] == ["InitConfiguration", "ClusterConfiguration"]
    assert init["runcmd"][0][1] == "init"
    # The token is in the snippet on the PVE host only, never in the state or the plan.
    state = (pvelab.root / ".homestack" / "state.db").read_bytes()
    assert b"abcdef.0123456789abcdef" not in state


def test_a_manual_memory_change_shows_as_drift(pvelab: PveLab) -> None:
    pvelab.run("apply")
    with pvelab.fake.store.lock:
        pvelab.fake.store.vms[202].config["memory"] = "16384"
    result = pvelab.run("drift")
    changed = [c for s in result.stacks for c in s.changes if c.action is Action.UPDATE]
    assert [str(c.address) for c in changed] == ["pve:vm:202"]
    assert changed[0].drift is DriftKind.DRIFT
    assert changed[0].fields == ("memory: 16384 → 32768 (needs reboot)",)


def test_a_vlan_move_on_a_running_vm_waits_for_a_reboot(pvelab: PveLab) -> None:
    """As qemu-server does, the tag change re-plugs the running NIC at once; the address
    that goes with the new VLAN (cloud-init ipconfig) stays pending until the reboot."""
    pvelab.run("apply")
    move_to_vlan_30(pvelab)
    planned = pvelab.run("plan")
    fields = {f.split(":")[0]: f for s in planned.stacks for c in s.changes
              if str(c.address) == "pve:vm:203" for f in c.fields}
    assert fields["net0"].endswith("tag=30") and "needs reboot" not in fields["net0"]
    assert fields["ipconfig0"].endswith("ip=10.0.30.103/24 (needs reboot)")
    assert not pvelab.run("apply").failed
    vm = pvelab.fake.store.vms[203]
    assert vm.config["net0"].endswith("tag=30")
    assert vm.config["ipconfig0"] == "ip=10.0.20.103/24,gw=10.0.20.1"
    assert vm.pending == {"ipconfig0": "ip=10.0.30.103/24"}
    waiting = pvelab.run("plan")
    assert not waiting.has_changes
    notes = {str(c.address): c.fields for s in waiting.stacks for c in s.changes}
    assert notes["pve:vm:203"] == ("pending until reboot: ipconfig0",)
    # the control plane's kubeadm init advertises its address: its user-data moved too
    assert notes["pve:vm:200"] == ("pending until reboot: cicustom, ipconfig0",)
    rebooted = pvelab.run("apply", pve=PveOptions(reboot=True))
    assert not rebooted.failed
    assert vm.config["ipconfig0"] == "ip=10.0.30.103/24" and not vm.pending
    assert not pvelab.run("plan").has_changes


def test_destroy_needs_allow_data_loss(pvelab: PveLab) -> None:
    pvelab.run("apply")
    refused = pvelab.run("destroy")
    assert refused.stacks[0].failure is FailureKind.GUARD
    assert 202 in pvelab.fake.store.vms
    done = pvelab.run("destroy", EngineOptions(allow_data_loss=True, parallelism=1))
    assert not done.failed, done.stacks[0].error
    assert sorted(pvelab.fake.store.vms) == [9000]


def test_a_vm_that_is_not_owned_is_a_conflict_until_adopted(pvelab: PveLab) -> None:
    pvelab.fake.add_template(202, "k8s-node2", {"cores": "2", "memory": "4096"})
    pvelab.fake.store.vms[202].config.pop("template")
    result = pvelab.run("apply")
    failed = [c for s in result.stacks for c in s.changes if c.action is Action.FAILED]
    assert [str(c.address) for c in failed] == ["pve:vm:202"]
    assert failed[0].failure is not None and failed[0].failure.kind is FailureKind.CONFLICT
    assert pvelab.config(202)["memory"] == "4096"
    adopted = pvelab.run("apply", pve=PveOptions(adopt=True))
    assert not adopted.failed, [s.error for s in adopted.stacks]
    assert pvelab.config(202)["memory"] == "32768"
    assert not pvelab.run("plan").has_changes


def test_a_disk_shrink_is_refused_at_plan_time(pvelab: PveLab) -> None:
    pvelab.run("apply")
    pvelab.edit_site('size="128Gi"', 'size="64Gi"')
    planned = pvelab.run("plan")
    assert planned.stacks[0].outcome is StackOutcome.FAILED
    assert planned.stacks[0].failure is FailureKind.INVALID
    assert "disks only grow" in planned.stacks[0].error


def test_a_disk_grows(pvelab: PveLab) -> None:
    pvelab.run("apply")
    pvelab.edit_site('size="128Gi"', 'size="160Gi"')
    assert not pvelab.run("apply").failed
    assert pvelab.config(204)["scsi0"].endswith("size=160G")


def test_a_task_that_fails_halfway_fails_the_stack_and_leaves_no_vm(pvelab: PveLab) -> None:
    pvelab.fake.store.faults.fail.add("qmclone")
    result = pvelab.run("apply")
    assert result.failed and "qmclone failed" in result.stacks[0].error
    assert sorted(pvelab.fake.store.vms) == [9000]


def test_a_task_that_never_ends_times_out(pvelab: PveLab) -> None:
    pvelab.edit_site("TIMEOUT = 10.0", "TIMEOUT = 0.5")
    pvelab.fake.store.faults.hang.add("qmclone")
    result = pvelab.run("apply")
    assert result.stacks[0].failure is FailureKind.NOT_READY
    assert "still running after 0.5 s" in result.stacks[0].error


def _snippets(lab: PveLab, vmid: int) -> list[str]:
    folder = lab.fake.store.snippets_dir
    assert folder is not None
    return sorted(p.name for p in folder.glob(f"homestack-{vmid}-*.yaml"))


def test_join_snippets_holding_the_token_go_when_no_longer_named(pvelab: PveLab) -> None:
    pvelab.run("apply")
    [first] = _snippets(pvelab, 200)
    move_to_vlan_30(pvelab)  # the control plane's user-data moves: a new snippet
    assert not pvelab.run("apply").failed
    # the running configuration still names the old one until the reboot
    assert len(_snippets(pvelab, 200)) == 2 and first in _snippets(pvelab, 200)
    assert not pvelab.run("apply", pve=PveOptions(reboot=True)).failed
    assert not pvelab.run("apply").failed
    [kept] = _snippets(pvelab, 200)
    assert kept != first
    assert pvelab.fake.store.vms[200].config["cicustom"].endswith(kept)
    done = pvelab.run("destroy", EngineOptions(allow_data_loss=True, parallelism=1))
    assert not done.failed
    assert all(_snippets(pvelab, vmid) == [] for vmid in range(200, 205))
