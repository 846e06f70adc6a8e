"""What differs between a VM's desired body and its live PVE configuration (pure).

Live values are compared in PVE's own form. Disks only grow (a smaller size is refused at plan
time), a disk the Site dropped is only detached with ``--allow-data-loss``, and a change a
running VM cannot take at once (per its ``hotplug`` setting, as qemu-server decides) is marked
``needs reboot``: PVE keeps it pending until the VM restarts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_DISK = re.compile(r"^(scsi|virtio|sata)\d+$")
_NET = re.compile(r"^net\d+$")
# Applied at once even on a running VM (qemu-server's fast-plug options).
FAST_PLUG = frozenset({"name", "onboot", "description", "tags", "hotplug", "balloon",
                       "protection", "startup"})


@dataclass(frozen=True)
class LiveVm:
    """One VM as PVE shows it: effective config (pending applied), pending keys, power."""

    vmid: int
    name: str
    status: str
    lock: str | None
    config: dict[str, str]
    pending: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Delta:
    """The differences of one VM: config keys to set, disks to grow, what blocks it."""

    set: dict[str, str]
    grow: dict[str, str]
    delete: tuple[str, ...]
    fields: tuple[str, ...]
    reboot: tuple[str, ...]
    refused: str = ""


def options(value: str) -> dict[str, str]:
    """``a=b,c=d`` into a dict; a bare first item becomes ``_``."""
    result: dict[str, str] = {}
    for index, item in enumerate(value.split(",")):
        key, eq, val = item.partition("=")
        result[key if eq or index else "_"] = val if eq else key
    return result


def hot(key: str, hotplug: str) -> bool:
    """True when a running VM takes a change of ``key`` at once."""
    enabled = {"network", "disk", "usb"} if hotplug == "1" else set(hotplug.split(","))
    if key in FAST_PLUG:
        return True
    if _NET.match(key):
        return "network" in enabled
    if _DISK.match(key):
        return "disk" in enabled
    return (key in ("cores", "vcpus") and "cpu" in enabled) or \
        (key == "memory" and "memory" in enabled)


NET_MODELS = ("virtio", "e1000", "rtl8139", "vmxnet3")


def _nic(value: str) -> dict[str, str]:
    opts = options(value)
    model = opts.pop("_", None) or opts.pop("model", None)
    for name in NET_MODELS:
        if name in opts:
            model, opts["macaddr"] = name, opts.pop(name)
    opts["model"] = model or ""
    return opts


def net_live(desired: str, live: str) -> bool:
    """True when a running VM takes this NIC change at once whatever its hotplug setting:
    qemu-server re-plugs the tap for a bridge, VLAN tag, trunks, firewall or rate change; a
    model, MAC, queues or MTU change needs network hotplug."""
    want, have = _nic(desired), _nic(live)
    if "macaddr" not in want:
        want["macaddr"] = have.get("macaddr", "")
    return all(want.get(k) == have.get(k) for k in ("model", "macaddr", "queues", "mtu"))


def _net_equal(desired: str, live: str) -> bool:
    want, have = options(desired), options(live)
    model = want.pop("_", "")
    if model in have and model not in want:  # no fixed MAC: PVE's generated one is fine
        want[model] = have[model]
    return want == have


def _gib(size: str) -> float:
    number, unit = float(size[:-1]), size[-1]
    return number * {"K": 1 / 1024 ** 2, "M": 1 / 1024, "G": 1.0, "T": 1024.0}[unit]


def _disk_delta(key: str, want: dict[str, Any], live: str | None, delta: dict[str, Any]) -> None:
    flags = {"ssd": "1" if want["ssd"] else None, "discard": "on" if want["discard"] else None}
    if live is None:
        extra = "".join(f",{k}={v}" for k, v in flags.items() if v)
        delta["set"][key] = f"{want['storage']}:{want['size'][:-1]}{extra}"
        delta["fields"].append(f"{key}: new {want['size']} on {want['storage']}")
        return
    have = options(live)
    volume = have["_"]
    if not volume.startswith(want["storage"] + ":"):
        delta["refused"] = f"{key} is on {volume.split(':')[0]}, the Site says " \
                           f"{want['storage']}: move the disk by hand"
        return
    old, new = _gib(have.get("size", "0G")), _gib(want["size"])
    if new < old:
        delta["refused"] = f"{key} is {have.get('size')}, the Site says {want['size']}: " \
                           "disks only grow (shrinking loses data)"
        return
    if new > old:
        delta["grow"][key] = want["size"]
        delta["fields"].append(f"{key}: grow {have.get('size')} → {want['size']}")
    if any(have.get(k) != v for k, v in flags.items()):
        kept = {k: v for k, v in have.items() if k not in ("_", "ssd", "discard", "size")}
        kept.update({k: v for k, v in flags.items() if v})
        delta["set"][key] = volume + "".join(f",{k}={v}" for k, v in sorted(kept.items()))
        delta["fields"].append(f"{key}: ssd/discard")


def diff(body: dict[str, Any], live: LiveVm) -> Delta:
    """The changes that bring ``live`` to ``body``."""
    delta: dict[str, Any] = {"set": {}, "grow": {}, "fields": [], "refused": ""}
    for key, value in body["config"].items():
        have = live.config.get(key)
        same = have is not None and (_net_equal(value, have) if _NET.match(key) else
                                     have == value)
        if not same:
            delta["set"][key] = value
            shown = "(changed)" if key in ("description", "sshkeys") else f"{have} → {value}"
            delta["fields"].append(f"{key}: {shown}")
    for key, want in body["disks"].items():
        _disk_delta(key, want, live.config.get(key), delta)
    dropped = tuple(k for k, v in sorted(live.config.items())
                    if _DISK.match(k) and k not in body["disks"] and "media=cdrom" not in v)
    delta["fields"] += [f"{k}: detach (its data stays as an unused disk)" for k in dropped]
    hotplug = body["config"].get("hotplug", "network,disk,usb")
    reboot = tuple(k for k in [*delta["set"], *dropped] if not hot(k, hotplug) and not (
        _NET.match(k) and k in live.config and net_live(delta["set"][k], live.config[k]))
    ) if live.status == "running" else ()
    fields = [f"{f} (needs reboot)" if f.split(":")[0] in reboot else f
              for f in delta["fields"]]
    return Delta(delta["set"], delta["grow"], dropped, tuple(fields), reboot, delta["refused"])


def view(config: dict[str, str]) -> dict[str, Any]:
    """A config as a diffable body (the digest and lock are not configuration)."""
    return {k: v for k, v in sorted(config.items()) if k not in ("digest", "lock")}
