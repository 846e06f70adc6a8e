"""Node-join paths other than the happy kubeadm one: Talos patches, a missing join secret."""

from __future__ import annotations

import pytest
import yaml

from homestack.model.changeset import FailureKind

from .conftest import PveLab


def test_talos_nodes_get_machine_config_patches_and_instructions(pvelab: PveLab) -> None:
    pvelab.edit_site('join=NodeJoin(endpoint="10.0.20.100:6443")',
                     'join=NodeJoin(method="talos", endpoint="10.0.20.100:6443", '
                     'talos_dir="talos")')
    result = pvelab.run("apply")
    assert not result.failed, [s.error for s in result.stacks]
    assert "cicustom" not in pvelab.config(201)
    patch = yaml.safe_load((pvelab.root / "talos" / "k8s-node1.yaml").read_text())
    machine = patch["machine"]
    assert machine["network"]["hostname"] == "k8s-node1"
    assert machine["network"]["interfaces"] == [{
        "interface": "eth0", "addresses": ["10.0.20.101/24"],
        "routes": [{"network": "0.0.0.0/0", "gateway": "10.0.20.1"}]}]
    assert machine["nodeLabels"] == {"gpu": "true"}
    assert machine["nodeTaints"] == {"nvidia.com/gpu": "true:NoSchedule"}
    master = (pvelab.root / "talos" / "k8s-master.yaml").read_text()
    assert master.startswith("# Talos controlplane patch")
    assert "talosctl apply-config" in (pvelab.root / "talos" / "INSTRUCTIONS.md").read_text()


def test_a_missing_kubeadm_secret_stops_before_the_vm_is_made(
        pvelab: PveLab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOMESTACK_KUBEADM_TOKEN")
    result = pvelab.run("apply")
    assert result.stacks[0].failure is FailureKind.OTHER
    assert "$HOMESTACK_KUBEADM_TOKEN is not set" in result.stacks[0].error
    assert sorted(pvelab.fake.store.vms) == [9000]
    assert not list(pvelab.fake.store.snippets_dir.iterdir())  # type: ignore[union-attr]
