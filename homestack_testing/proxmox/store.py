"""The fake PVE node's state: VMs with current and pending config, locks, tasks, storage.

Every method takes the store lock, checks what qemu-server checks (vmid range and uniqueness,
the VM lock, the config schema, disk growth only) and raises ``PveError`` in PVE's shape.
Long operations return a UPID and finish in a task thread.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import schema, tasks
from .errors import PveError, invalid

VMID_MIN, VMID_MAX = 100, 999_999_999
_SIZE = re.compile(r"^(\+)?(\d+(?:\.\d+)?)([KMGT])?$")
_UNIT = {"K": 1 / (1024 * 1024), "M": 1 / 1024, "G": 1.0, "T": 1024.0, None: 1 / 1024 ** 3}


@dataclass
class Vm:
    """One VM: current config, pending changes and deletions, power state."""

    vmid: int
    config: dict[str, str]
    pending: dict[str, str] = field(default_factory=dict)
    pending_delete: set[str] = field(default_factory=set)
    status: str = "stopped"

    @property
    def lock(self) -> str | None:
        """The VM's lock (``clone``, ``create``, ...), if a task holds one."""
        return self.config.get("lock")

    def effective(self) -> dict[str, str]:
        """The config with pending changes applied (what GET /config answers)."""
        merged = {k: v for k, v in self.config.items() if k not in self.pending_delete}
        merged.update(self.pending)
        return merged


def gib(size: str) -> float:
    """A PVE size (``128G``, ``512M``, ``1T``) in GiB."""
    match = _SIZE.match(size)
    if match is None:
        raise invalid({"size": f"unable to parse size '{size}'"})
    return float(match.group(2)) * _UNIT[match.group(3)]


def _size_text(value: float) -> str:
    return f"{int(value)}G" if value == int(value) else f"{int(value * 1024)}M"


@dataclass
class PveStore:
    """All state of one fake node."""

    node: str = "pve"
    storages: tuple[str, ...] = ("local-lvm", "local")
    snippets_dir: Path | None = None
    durations: dict[str, float] = field(default_factory=dict)
    faults: tasks.TaskFaults = field(default_factory=tasks.TaskFaults)
    vms: dict[int, Vm] = field(default_factory=dict)
    tasks: dict[str, tasks.Task] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    writes: list[tuple[str, str]] = field(default_factory=list)

    # -- lookups -------------------------------------------------------------------------
    def node_or_404(self, node: str) -> None:
        """Refuse a node this fake is not."""
        if node != self.node:
            raise PveError(595, f"no such cluster node '{node}'")

    def vm(self, vmid: str | int) -> Vm:
        """The VM ``vmid`` or PVE's 500 "does not exist"."""
        number = _vmid(str(vmid))
        if number not in self.vms:
            raise PveError(500, f"Configuration file 'nodes/{self.node}/qemu-server/"
                                f"{number}.conf' does not exist")
        return self.vms[number]

    def unlocked(self, vmid: str | int) -> Vm:
        """The VM, refused with PVE's error while a task holds its lock."""
        vm = self.vm(vmid)
        if vm.lock:
            raise PveError(500, f"VM is locked ({vm.lock})")
        return vm

    def listing(self) -> list[dict[str, object]]:
        """GET /nodes/{node}/qemu."""
        rows = []
        for vm in sorted(self.vms.values(), key=lambda v: v.vmid):
            row: dict[str, object] = {
                "vmid": vm.vmid, "name": vm.config.get("name", f"VM{vm.vmid}"),
                "status": vm.status, "cpus": int(vm.config.get("cores", "1")),
                "maxmem": int(vm.config.get("memory", "512")) * 1024 * 1024,
            }
            for key in ("tags", "lock", "template"):
                if key in vm.config:
                    row[key] = vm.config[key]
            rows.append(row)
        return rows

    # -- tasks ---------------------------------------------------------------------------
    def start_task(self, kind: str, vmid: int, user: str, work: object,
                   on_fail: object = None, hold: str | None = None) -> str:
        """Start a task; with ``hold``, the VM is locked until the task ends."""
        task = tasks.new_upid(self.node, kind, str(vmid), user)
        self.tasks[task.upid] = task
        if hold is not None:
            self.vms[vmid].config["lock"] = hold

        def end() -> None:
            if vmid in self.vms and self.vms[vmid].config.get("lock") == hold:
                self.vms[vmid].config.pop("lock", None)

        tasks.run(task, self.durations.get(kind, 0.1), self.faults, self.lock,
                  work, on_fail or (lambda: None), end if hold else (lambda: None))  # type: ignore[arg-type]
        self.writes.append((kind, str(vmid)))
        return task.upid

    def task(self, upid: str) -> tasks.Task:
        """The task ``upid``."""
        if upid not in self.tasks:
            raise PveError(500, f"unable to parse worker upid '{upid}'" if not
                           upid.startswith("UPID:") else "no such task")
        return self.tasks[upid]

    # -- config --------------------------------------------------------------------------
    def checked(self, params: dict[str, str], skip: tuple[str, ...] = ()) -> dict[str, str]:
        """Validate config parameters against the schema; 400 naming each bad one."""
        errors = {}
        for key, value in params.items():
            if key in skip:
                continue
            problem = schema.check(key, value)
            if problem is None:
                errors[key] = "property is not defined in schema and the schema does not " \
                              "allow additional properties"
            elif problem:
                errors[key] = problem
        if errors:
            raise invalid(errors)
        return params

    def allocate(self, vmid: int, key: str, value: str, taken: dict[str, str]) -> str:
        """Turn ``storage:size`` (a new disk) into an allocated volume, as qemu-server does."""
        opts = schema.options(value)
        volume = opts.pop("_", "")
        storage, _, spec = volume.partition(":")
        if storage and storage not in self.storages:
            raise PveError(500, f"storage '{storage}' does not exist")
        if spec == "cloudinit":
            return f"{storage}:vm-{vmid}-cloudinit,media=cdrom"
        if not re.fullmatch(r"\d+(\.\d+)?", spec):
            return value  # an existing volume
        used = {v for v in taken.values() if f"vm-{vmid}-disk-" in v}
        index = next(i for i in range(64) if not any(
            f"vm-{vmid}-disk-{i}," in u or u.endswith(f"vm-{vmid}-disk-{i}") for u in used))
        extra = "".join(f",{k}={v}" for k, v in opts.items() if k != "size")
        return f"{storage}:vm-{vmid}-disk-{index}{extra},size={_size_text(float(spec))}"

    def set_config(self, vm: Vm, params: dict[str, str]) -> None:
        """Apply a config change: at once when stopped or hot-pluggable, else pending."""
        deletes = [k for k in params.pop("delete", "").split(",") if k]
        digest = params.pop("digest", None)
        if digest is not None and digest != config_digest(vm.config):
            raise PveError(500, "detected modified configuration - file changed by other "
                                "user? Try again.")
        self.checked(params)
        hotplug = vm.effective().get("hotplug", "network,disk,usb")
        for key, value in params.items():
            if schema.is_disk(key):
                value = self.allocate(vm.vmid, key, value, vm.effective())
            elif schema.is_net(key):
                value = schema.with_mac(value, f"{vm.vmid}/{key}")
            live = schema.is_net(key) and key in vm.config and \
                schema.net_live(vm.config[key], value)
            if vm.status == "running" and not live and not schema.hot(key, hotplug):
                vm.pending[key] = value
            else:
                vm.config[key] = value
                vm.pending.pop(key, None)
        for key in deletes:
            live = schema.is_net(key) and key in vm.config and \
                schema.net_live(vm.config[key], value)
            if vm.status == "running" and not live and not schema.hot(key, hotplug):
                vm.pending_delete.add(key)
            else:
                self._drop(vm, key)

    def _drop(self, vm: Vm, key: str) -> None:
        value = vm.config.pop(key, None)
        if value and schema.is_disk(key) and "media=cdrom" not in value:
            index = next(i for i in range(64) if f"unused{i}" not in vm.config)
            vm.config[f"unused{index}"] = schema.options(value)["_"]  # detached, kept

    def apply_pending(self, vm: Vm) -> None:
        """What a (re)start does: pending changes become current."""
        for key in sorted(vm.pending_delete):
            self._drop(vm, key)
        vm.config.update(vm.pending)
        vm.pending.clear()
        vm.pending_delete.clear()

    def pending_rows(self, vm: Vm) -> list[dict[str, object]]:
        """GET .../pending: every key with its current and pending value."""
        rows: list[dict[str, object]] = []
        for key in sorted(set(vm.config) | set(vm.pending) | vm.pending_delete):
            row: dict[str, object] = {"key": key}
            if key in vm.config:
                row["value"] = vm.config[key]
            if key in vm.pending:
                row["pending"] = vm.pending[key]
            if key in vm.pending_delete:
                row["delete"] = 1
            rows.append(row)
        return rows

    def startable(self, vm: Vm) -> None:
        """What qemu-server checks when it starts a VM (the start task fails otherwise):
        PCIe passthrough needs the q35 machine, a cicustom snippet must exist."""
        config = vm.config
        if any("pcie=1" in v for k, v in config.items() if k.startswith("hostpci")) \
                and "q35" not in config.get("machine", ""):
            raise RuntimeError("q35 machine model is not enabled")
        for part in filter(None, config.get("cicustom", "").split(",")):
            volume = part.partition("=")[2]
            name = volume.partition(":snippets/")[2]
            if self.snippets_dir is None or not (self.snippets_dir / name).is_file():
                raise RuntimeError(f"volume '{volume}' does not exist")

    def resize(self, vm: Vm, disk: str, size: str) -> None:
        """Grow a disk (``+10G`` or an absolute size); shrinking is refused like PVE does."""
        current = vm.config.get(disk)
        if current is None or not schema.is_disk(disk):
            raise PveError(500, f"disk '{disk}' does not exist")
        opts = schema.options(current)
        old = gib(opts.get("size", "0G"))
        new = old + gib(size[1:]) if size.startswith("+") else gib(size)
        if new < old:
            raise PveError(500, "shrinking disks is not supported")
        opts["size"] = _size_text(new)
        volume = opts.pop("_")
        vm.config[disk] = volume + "".join(f",{k}={v}" for k, v in opts.items())


def config_digest(config: dict[str, str]) -> str:
    """The SHA1 digest PVE returns with a config (guards concurrent edits)."""
    text = "".join(f"{k}: {v}\n" for k, v in sorted(config.items()) if k != "digest")
    return hashlib.sha1(text.encode()).hexdigest()


def _vmid(text: str) -> int:
    if not text.isdigit():
        raise invalid({"vmid": f"type check ('integer') failed - got '{text}'"})
    number = int(text)
    if number < VMID_MIN:
        raise invalid({"vmid": f"value must have a minimum value of {VMID_MIN}"})
    if number > VMID_MAX:
        raise invalid({"vmid": f"value must have a maximum value of {VMID_MAX}"})
    return number


def parse_vmid(text: str) -> int:
    """A vmid parameter, range-checked (400 in PVE's shape otherwise)."""
    return _vmid(text)
