"""The fake PVE answers like PVE where the provider can tell, checked with the real proxmoxer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

from homestack_testing.proxmox import FakePve, require_openssl


@pytest.fixture
def pve(tmp_path: Path) -> Iterator[FakePve]:
    require_openssl()
    fake = FakePve(tmp_path).start()
    fake.add_template(9000, "tpl", {"scsi0": "local-lvm:base-9000-disk-0,size=8G",
                                    "memory": "1024", "cores": "1"})
    yield fake
    fake.stop()


def _api(pve: FakePve, secret: str = "s3cr3t") -> Any:
    return ProxmoxAPI(f"127.0.0.1:{pve.port}", user="homestack@pve", token_name="homestack",
                      token_value=secret, verify_ssl=str(pve.cert))


def _wait(api: Any, upid: str) -> dict[str, Any]:
    for _ in range(200):
        status: dict[str, Any] = api.nodes("pve").tasks(upid).status.get()
        if status["status"] == "stopped":
            return status
        time.sleep(0.02)
    raise AssertionError(f"task {upid} did not stop")


def test_a_wrong_token_is_401(pve: FakePve) -> None:
    with pytest.raises(ResourceException) as raised:
        _api(pve, "wrong").nodes.get()
    assert raised.value.status_code == 401


def test_vmid_range_and_parameters_fail_in_pves_shape(pve: FakePve) -> None:
    with pytest.raises(ResourceException) as raised:
        _api(pve).nodes("pve").qemu.post(vmid=99, memory=8, bogus=1)
    assert raised.value.status_code == 400
    assert raised.value.errors == {"vmid": "value must have a minimum value of 100"}
    with pytest.raises(ResourceException) as raised:
        _api(pve).nodes("pve").qemu.post(vmid=300, memory=8, bogus=1)
    assert set(raised.value.errors) == {"memory", "bogus"}


def test_a_clone_locks_the_new_vm_until_its_task_ends(pve: FakePve) -> None:
    pve.store.durations["qmclone"] = 0.5
    api = _api(pve)
    upid = api.nodes("pve").qemu(9000).clone.post(newid=200, name="a")
    assert upid.startswith("UPID:pve:") and ":qmclone:200:" in upid
    with pytest.raises(ResourceException) as raised:
        api.nodes("pve").qemu(200).config.put(memory=2048)
    assert raised.value.status_code == 500 and "VM is locked (clone)" in str(raised.value)
    with pytest.raises(ResourceException) as raised:
        api.nodes("pve").qemu(9000).clone.post(newid=200)
    assert "already exists" in str(raised.value)
    assert _wait(api, upid)["exitstatus"] == "OK"
    assert api.nodes("pve").qemu(200).config.get()["scsi0"] == "local-lvm:vm-200-disk-0,size=8G"


def test_a_running_vm_keeps_cold_changes_pending_until_reboot(pve: FakePve) -> None:
    api = _api(pve)
    _wait(api, api.nodes("pve").qemu(9000).clone.post(newid=200))
    api.nodes("pve").qemu(200).config.put(hotplug="disk", net0="virtio,bridge=vmbr1,tag=20")
    _wait(api, api.nodes("pve").qemu(200).status.start.post())
    api.nodes("pve").qemu(200).config.put(net0="virtio,bridge=vmbr1,tag=30", name="b",
                                          ipconfig0="ip=10.0.30.5/24", memory=4096)
    current = api.nodes("pve").qemu(200).config.get(current=1)
    # the tag re-plugs the tap at once, like qemu-server; the rest waits
    assert current["net0"].endswith("tag=30") and current["name"] == "b"
    pending = {r["key"]: r for r in api.nodes("pve").qemu(200).pending.get() if "pending" in r}
    assert set(pending) == {"ipconfig0", "memory"}
    mac = current["net0"].split(",")[0].split("=")[1]
    api.nodes("pve").qemu(200).config.put(net0=f"e1000={mac},bridge=vmbr1,tag=30")
    assert api.nodes("pve").qemu(200).config.get(current=1)["net0"].startswith("virtio=")
    _wait(api, api.nodes("pve").qemu(200).status.reboot.post())
    after = api.nodes("pve").qemu(200).config.get(current=1)
    assert after["net0"].startswith("e1000=") and after["ipconfig0"] == "ip=10.0.30.5/24"
    assert not [r for r in api.nodes("pve").qemu(200).pending.get() if "pending" in r]


def test_disks_only_grow(pve: FakePve) -> None:
    api = _api(pve)
    _wait(api, api.nodes("pve").qemu(9000).clone.post(newid=200))
    _wait(api, api.nodes("pve").qemu(200).resize.put(disk="scsi0", size="+8G"))
    assert api.nodes("pve").qemu(200).config.get()["scsi0"].endswith("size=16G")
    with pytest.raises(ResourceException) as raised:
        api.nodes("pve").qemu(200).resize.put(disk="scsi0", size="4G")
    assert "shrinking disks is not supported" in str(raised.value)


def test_injected_faults_fail_halfway_or_never_end(pve: FakePve) -> None:
    api = _api(pve)
    pve.store.faults.fail.add("qmclone")
    failed = _wait(api, api.nodes("pve").qemu(9000).clone.post(newid=200))
    assert failed["exitstatus"] == "qmclone failed: injected fault"
    assert [vm["vmid"] for vm in api.nodes("pve").qemu.get()] == [9000]
    pve.store.faults.fail.clear()
    pve.store.faults.hang.add("qmclone")
    upid = api.nodes("pve").qemu(9000).clone.post(newid=201)
    time.sleep(0.3)
    assert api.nodes("pve").tasks(upid).status.get()["status"] == "running"
    assert api.nodes("pve").qemu(201).status.current.get()["lock"] == "clone"


def test_a_start_fails_like_qemu_server_without_q35_or_the_snippet(pve: FakePve) -> None:
    api = _api(pve)
    _wait(api, api.nodes("pve").qemu(9000).clone.post(newid=200))
    api.nodes("pve").qemu(200).config.put(hostpci0="0000:06:00.0,pcie=1")
    failed = _wait(api, api.nodes("pve").qemu(200).status.start.post())
    assert failed["exitstatus"] == "q35 machine model is not enabled"
    api.nodes("pve").qemu(200).config.put(machine="q35", cicustom="user=local:snippets/x.yaml")
    failed = _wait(api, api.nodes("pve").qemu(200).status.start.post())
    assert failed["exitstatus"] == "volume 'local:snippets/x.yaml' does not exist"
    (pve.folder / "snippets" / "x.yaml").write_text("#cloud-config\n")
    assert _wait(api, api.nodes("pve").qemu(200).status.start.post())["exitstatus"] == "OK"
    assert api.nodes("pve").qemu(200).status.current.get()["status"] == "running"


def test_sshkeys_must_be_url_encoded(pve: FakePve) -> None:
    api = _api(pve)
    _wait(api, api.nodes("pve").qemu(9000).clone.post(newid=200))
    with pytest.raises(ResourceException) as raised:
        api.nodes("pve").qemu(200).config.put(sshkeys="ssh-ed25519 AAAA me")
    assert raised.value.errors == {"sshkeys": "invalid urlencoded string"}
    api.nodes("pve").qemu(200).config.put(sshkeys="ssh-ed25519%20AAAA%20me")
