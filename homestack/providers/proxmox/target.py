"""The ``pve`` target: Site VMs (``pve:vm:<vmid>``) on a Proxmox VE node through its API.

Observe lists the node's VMs once and reads the config (pending changes applied) of those in
scope; plan compares purely (``compare``); apply creates or clones, sets config, grows disks,
starts, and reboots only when ``PveOptions.reboot`` allows it, following every PVE task to its
end. A VM is Homestack's when its description carries the Stack's marker; any other VM with
the id or name of a Site VM is a conflict, taken over only with ``PveOptions.adopt``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from homestack.kit.proxmox import OWNER_TAG, marker
from homestack.model import Provider, Proxmox, Resource
from homestack.model.address import Address
from homestack.model.changeset import (
    Action,
    Change,
    ChangeSet,
    Failure,
    FailureKind,
    Observed,
    Recorder,
)
from homestack.model.diff import unified
from homestack.providers.errors import InvalidError
from homestack.providers.proxmox import client
from homestack.providers.proxmox.compare import LiveVm, diff, view
from homestack.providers.proxmox.join import forget_joins, write_join
from homestack.state import StackRecord


@dataclass(frozen=True)
class PveOptions:
    """Run options of the ``pve`` target (from the command line).

    - ``reboot``: changes a running VM only takes at restart are applied by rebooting it
      (otherwise they stay pending in PVE until the next reboot).
    - ``adopt``: a VM with a Site VM's id that Homestack does not own is taken over.
    - ``allow_data_loss``: a disk the Site dropped is detached.
    """

    reboot: bool = False
    adopt: bool = False
    allow_data_loss: bool = False

    @classmethod
    def default(cls) -> PveOptions:
        """The safe defaults: no reboot, no adoption, no data loss."""
        return cls()


class PveTarget:
    """Plans and applies ``pve:vm`` Resources against one PVE node."""

    name = "pve"

    def __init__(self, api: Any, settings: Proxmox, root: Path, options: PveOptions) -> None:
        self.api = api
        self.settings = settings
        self.root = root
        self.options = options

    def identity(self) -> str:
        return f"{self.settings.url} node={self.settings.node}"

    def handles(self, resource: Resource) -> bool:
        return resource.provider is Provider.PVE and resource.kind == "vm"

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        return []

    def _node(self) -> Any:
        return self.api.nodes(self.settings.node)

    def _read(self, vmid: int, row: Mapping[str, Any]) -> LiveVm:
        subject = f"pve:vm:{vmid}"
        qemu = self._node().qemu(vmid)
        config = client.call(subject, qemu.config.get)
        pending = {r["key"]: str(r["pending"]) for r in client.call(subject, qemu.pending.get)
                   if "pending" in r}
        return LiveVm(vmid, str(row.get("name", "")), str(row.get("status", "")),
                      row.get("lock") or config.get("lock"),
                      {k: str(v) for k, v in config.items()}, pending)

    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]
                ) -> Mapping[int, LiveVm]:
        """Every VM of the node by id; the config of those in scope (desired, recorded,
        tagged as Homestack's), names only for the others."""
        wanted = {int(r.name) for r in desired}
        wanted |= {int(Address.parse(e.address).name) for rec in recorded for e in rec.resources
                   if e.address.startswith("pve:vm:")}
        rows = client.call("pve", self._node().qemu.get)
        seen = {}
        for row in rows:
            vmid = int(row["vmid"])
            if vmid in wanted or OWNER_TAG in str(row.get("tags", "")).split(";"):
                seen[vmid] = self._read(vmid, row)
            else:
                seen[vmid] = LiveVm(vmid, str(row.get("name", "")), str(row.get("status")),
                                    row.get("lock"), {})
        return MappingProxyType(seen)

    def plan_stack(self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
                   seen: Mapping[int, LiveVm], *, confirm: bool = True) -> list[Change]:
        changes = [self._plan_vm(stack, r, seen) for r in desired]
        wanted = {r.name for r in desired}
        gone = {e.address for e in (recorded.resources if recorded else ())
                if e.address.startswith("pve:vm:") and Address.parse(e.address).name not in wanted}
        gone |= {f"pve:vm:{v.vmid}" for v in seen.values() if str(v.vmid) not in wanted
                 and _owner(v) == stack}
        for address in sorted(gone):
            live = seen.get(int(Address.parse(address).name))
            if live is not None:
                changes.append(Change(stack, Address.parse(address), Action.DELETE,
                                      unified(address, view(live.config), None),
                                      observed=Observed(provider_id=str(live.vmid))))
        return changes

    def _plan_vm(self, stack: str, resource: Resource, seen: Mapping[int, LiveVm]) -> Change:
        body, address = resource.body, resource.typed_address
        live = seen.get(body["vmid"])
        if live is None:
            clash = [v for v in seen.values() if v.name == body["config"]["name"]]
            if clash:
                return _failed(stack, resource, FailureKind.CONFLICT,
                               f"VM name {clash[0].name} is taken by VM {clash[0].vmid}")
            return Change(stack, address, Action.CREATE,
                          unified(str(address), None, view(body["config"])), resource=resource)
        owner = _owner(live)
        if owner != stack and not self.options.adopt:
            who = f"Stack {owner}" if owner else "nobody in Homestack"
            return _failed(stack, resource, FailureKind.CONFLICT,
                           f"VM {live.vmid} ({live.name}) exists and belongs to {who}; "
                           "pass --adopt to take it over")
        observed = Observed(version=live.config.get("digest", ""), provider_id=str(live.vmid))
        if live.lock:
            return Change(stack, address, Action.UPDATE, resource=resource, observed=observed,
                          fields=(f"locked by a PVE task ({live.lock}): apply waits for it",))
        delta = diff(body, live)
        if delta.refused:
            return _failed(stack, resource, FailureKind.INVALID, delta.refused)
        if delta.delete and not self.options.allow_data_loss:
            return _failed(stack, resource, FailureKind.GUARD,
                           f"would detach {', '.join(delta.delete)}; pass --allow-data-loss")
        fields = list(delta.fields)
        if live.status != "running":
            fields.append("status: stopped → running")
        pending = sorted(live.pending)
        if fields:
            return Change(stack, address, Action.UPDATE,
                          unified(str(address), view(live.config), view(body["config"])),
                          resource=resource, observed=observed, fields=tuple(fields))
        if pending and self.options.reboot:
            return Change(stack, address, Action.UPDATE, resource=resource, observed=observed,
                          fields=(f"reboot applies pending {', '.join(pending)}",))
        waiting = (f"pending until reboot: {', '.join(pending)}",) if pending else ()
        return Change(stack, address, Action.UNCHANGED, resource=resource, observed=observed,
                      fields=waiting)

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        for change in changes:
            recorder.intent(change)
            vmid = int(change.address.name)
            if change.action is Action.DELETE:
                self._delete(vmid, str(change.address))
            elif change.resource is not None:
                self._write(change.resource)
            recorder.done(change, str(vmid))

    def _snippets(self) -> Path | None:
        folder = self.settings.snippets_dir
        return None if folder is None else self.root / folder

    def _write(self, resource: Resource) -> None:
        body, subject = resource.body, resource.address
        vmid, timeout = body["vmid"], self.settings.task_timeout
        write_join(body.get("join"), self._snippets(), self.root, subject)
        node = self._node()
        rows = {int(r["vmid"]): r for r in client.call(subject, node.qemu.get)}
        if vmid not in rows and body["clone"] is not None:
            upid = client.call(subject, node.qemu(body["clone"]).clone.post, newid=vmid,
                               name=body["config"]["name"], full=1,
                               description=body["config"]["description"])
            client.wait(self.api, self.settings.node, upid, subject, timeout)
        elif vmid not in rows:
            first = next(iter(body["disks"].values()), {"storage": "local-lvm"})
            upid = client.call(subject, node.qemu.post, vmid=vmid, scsihw="virtio-scsi-pci",
                               ide2=f"{first['storage']}:cloudinit", **body["config"])
            client.wait(self.api, self.settings.node, upid, subject, timeout)
        client.wait_unlocked(self.api, self.settings.node, vmid, subject, timeout)
        self._converge(resource, subject)
        # Once the VM's configuration names the new snippet, the others go; the one its
        # running configuration still names (the new one pending a reboot) stays.
        join = body.get("join")
        if join is not None and join.get("method") == "kubeadm":
            current = client.call(subject, self._node().qemu(vmid).config.get, current=1)
            named = str(current.get("cicustom", "")).rpartition("snippets/")[2]
            forget_joins(self._snippets(), vmid, keep={join["snippet"], named})

    def _converge(self, resource: Resource, subject: str) -> None:
        body, vmid, timeout = resource.body, resource.body["vmid"], self.settings.task_timeout
        qemu, node = self._node().qemu(vmid), self.settings.node
        row = next(r for r in client.call(subject, self._node().qemu.get)
                   if int(r["vmid"]) == vmid)
        delta = diff(body, self._read(vmid, row))
        if delta.refused:
            raise InvalidError(delta.refused, subject=subject)
        params = dict(delta.set)
        if delta.delete and self.options.allow_data_loss:
            params["delete"] = ",".join(delta.delete)
        if params:
            client.wait(self.api, node, client.call(subject, qemu.config.post, **params),
                        subject, timeout)
        for disk, size in delta.grow.items():
            client.wait(self.api, node, client.call(subject, qemu.resize.put, disk=disk,
                                                    size=size), subject, timeout)
        status = client.call(subject, qemu.status.current.get)
        if status.get("status") != "running":
            client.wait(self.api, node, client.call(subject, qemu.status.start.post),
                        subject, timeout)
        elif self.options.reboot and any(
                "pending" in r or "delete" in r for r in client.call(subject, qemu.pending.get)):
            client.wait(self.api, node, client.call(subject, qemu.status.reboot.post),
                        subject, timeout)

    def _delete(self, vmid: int, subject: str) -> None:
        qemu, node = self._node().qemu(vmid), self.settings.node
        timeout = self.settings.task_timeout
        if client.call(subject, qemu.status.current.get).get("status") == "running":
            client.wait(self.api, node, client.call(subject, qemu.status.stop.post),
                        subject, timeout)
        upid = client.call(subject, qemu.delete, purge=1)
        client.wait(self.api, node, upid, subject, timeout)
        forget_joins(self._snippets(), vmid)

    def finish(self, changeset: ChangeSet) -> str | None:
        return None

    def close(self) -> None:
        """Nothing to release: proxmoxer opens a session per request batch."""


def _owner(live: LiveVm) -> str | None:
    first = live.config.get("description", "").split("\n")[0]
    prefix = marker("")
    return first[len(prefix):] if first.startswith(prefix) else None


def _failed(stack: str, resource: Resource, kind: FailureKind, message: str) -> Change:
    return Change(stack, resource.typed_address, Action.FAILED, resource=resource,
                  failure=Failure(kind, message))


def open_pve(settings: Proxmox, root: Path, options: PveOptions) -> PveTarget:
    """The ``pve`` target for the Site's Proxmox settings (token from the environment)."""
    return PveTarget(client.connect(settings), settings, root, options)
