"""What a VM configuration may hold, checked the way qemu-server's API schema checks it.

Each key maps to a checker returning an error message (PVE's wording where it has one) or "".
``hot`` says which keys a running VM takes at once; the others wait in the pending section
until the VM reboots, as PVE's ``vmconfig_hotplug_pending`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Checker = Callable[[str], str]

_DISK = re.compile(r"^(scsi|virtio|sata|ide)(\d+)$")
_NET = re.compile(r"^net(\d+)$")
_INDEXED = re.compile(r"^(net|scsi|virtio|sata|ide|ipconfig|hostpci|unused|serial)(\d+)$")
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
_PCI = re.compile(r"^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}(\.[0-7])?$")
_NAME = re.compile(r"^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$")
_TAG = re.compile(r"^[a-z0-9_][a-z0-9_+.-]*$", re.IGNORECASE)
NET_MODELS = ("virtio", "e1000", "rtl8139", "vmxnet3")
# Always applied at once, even to a running VM (qemu-server's fast-plug options).
FAST_PLUG = frozenset({"name", "onboot", "description", "protection", "tags", "startup",
                       "hotplug", "balloon", "lock"})
CLOUD_INIT = frozenset({"ciuser", "cipassword", "sshkeys", "nameserver", "searchdomain",
                        "cicustom", "citype"})


def _int(low: int, high: int) -> Checker:
    def check(value: str) -> str:
        if not re.fullmatch(r"-?\d+", value):
            return f"type check ('integer') failed - got '{value}'"
        if int(value) < low:
            return f"value must have a minimum value of {low}"
        if int(value) > high:
            return f"value must have a maximum value of {high}"
        return ""
    return check


def _bool(value: str) -> str:
    return "" if value in ("0", "1") else f"type check ('boolean') failed - got '{value}'"


def _text(limit: int) -> Checker:
    return lambda value: "" if len(value) <= limit else f"value may only be {limit} characters long"


def _options(value: str) -> dict[str, str]:
    """``a=b,c=d`` (a bare first item becomes ``_``) into a dict."""
    result: dict[str, str] = {}
    for index, item in enumerate(value.split(",")):
        key, eq, val = item.partition("=")
        if not eq and index == 0:
            result["_"] = key
        else:
            result[key] = val
    return result


def _net(value: str) -> str:
    opts = _options(value)
    # ``model`` is the default key: a bare ``virtio`` is valid and PVE makes up the MAC.
    models = [m for m in NET_MODELS if m in opts or m in (opts.get("model"), opts.get("_"))]
    if not models:
        return "invalid format - format error: model: property is missing and it is not optional"
    mac = opts.get(models[0], "") or opts.get("macaddr", "")
    if mac and not _MAC.match(mac):
        return f"invalid format - format error: macaddr: not a valid MAC '{mac}'"
    if "bridge" not in opts:
        return "invalid format - format error: bridge: property is missing and it is not optional"
    tag = opts.get("tag")
    if tag is not None and (not tag.isdigit() or not 1 <= int(tag) <= 4094):
        return "invalid format - format error: tag: value must have a maximum value of 4094"
    return ""


def _disk(value: str) -> str:
    opts = _options(value)
    volume = opts.get("_", "")
    if ":" not in volume and volume != "none":
        return f"invalid format - unable to parse drive options '{value}'"
    for flag in ("ssd", "iothread", "backup", "replicate"):
        if flag in opts and opts[flag] not in ("0", "1"):
            return f"invalid format - format error: {flag}: type check ('boolean') failed"
    if "discard" in opts and opts["discard"] not in ("on", "ignore"):
        return ("invalid format - format error: discard: value does not have a value in "
                "the enumeration 'ignore, on'")
    return ""


def _hostpci(value: str) -> str:
    device = _options(value).get("_", "") or _options(value).get("host", "")
    if not _PCI.match(device):
        return "invalid format - format error: host: value does not match the regex pattern"
    return ""


def _ipconfig(value: str) -> str:
    opts = _options(value)
    unknown = set(opts) - {"ip", "gw", "ip6", "gw6"}
    if unknown:
        return f"invalid format - format error: {sorted(unknown)[0]}: property is not defined"
    return ""


def _tags(value: str) -> str:
    bad = [t for t in re.split(r"[;, ]", value) if t and not _TAG.match(t)]
    return f"invalid format - invalid tag '{bad[0]}'" if bad else ""


def _boot(value: str) -> str:
    opts = _options(value)
    if "order" not in opts and "_" not in opts:
        return "invalid format - format error: order: property is missing"
    return ""


def _name(value: str) -> str:
    return "" if _NAME.match(value) else "invalid format - value is not a valid DNS name"


FIXED: dict[str, Checker] = {
    "cores": _int(1, 8192), "sockets": _int(1, 4), "memory": _int(16, 4178944),
    "balloon": _int(0, 4178944), "onboot": _bool, "agent": lambda v: "", "name": _name,
    "description": _text(8192), "tags": _tags, "boot": _boot, "ostype": lambda v: "",
    "scsihw": lambda v: "", "machine": lambda v: "", "cpu": lambda v: "", "hotplug": lambda v: "",
    "numa": _bool, "protection": _bool, "vga": lambda v: "", "citype": lambda v: "",
    "ciuser": _text(256), "cipassword": lambda v: "",
    "sshkeys": lambda v: "invalid urlencoded string" if re.search(r"[\s]", v) else "",
    "nameserver": lambda v: "", "searchdomain": lambda v: "", "cicustom": lambda v: "",
    "template": _bool, "lock": lambda v: "", "startup": lambda v: "",
}
INDEXED: dict[str, Checker] = {
    "net": _net, "scsi": _disk, "virtio": _disk, "sata": _disk, "ide": _disk,
    "ipconfig": _ipconfig, "hostpci": _hostpci, "unused": _disk, "serial": lambda v: "",
}


def check(key: str, value: str) -> str | None:
    """The error for ``key=value``; None when the key is not in the schema."""
    if key in FIXED:
        return FIXED[key](value)
    match = _INDEXED.match(key)
    if match is None:
        return None
    return INDEXED[match.group(1)](value)


def is_disk(key: str) -> bool:
    """True for drive keys (scsi0, virtio1, ide2, ...)."""
    return _DISK.match(key) is not None


def hot(key: str, hotplug: str) -> bool:
    """True when a running VM takes a change of ``key`` at once under its ``hotplug`` setting."""
    enabled = set(hotplug.split(",")) if hotplug not in ("0", "") else set()
    if hotplug == "1":
        enabled = {"network", "disk", "usb"}
    if key in FAST_PLUG:
        return True
    if _NET.match(key):
        return "network" in enabled
    if _DISK.match(key):
        return "disk" in enabled
    if key in ("cores", "vcpus"):
        return "cpu" in enabled
    if key == "memory":
        return "memory" in enabled
    return False  # cloud-init, hostpci, boot, machine, ...: at the next start


def options(value: str) -> dict[str, str]:
    """Public form of the option parser, for the store."""
    return _options(value)


def with_mac(value: str, seed: str) -> str:
    """A net value with its MAC filled in (PVE generates one when none is given)."""
    opts = _options(value)
    model = opts.pop("_", None) or opts.pop("model", None)
    if model is None:
        return value
    digest = abs(hash(seed)) % (1 << 24)
    mac = f"BC:24:11:{digest >> 16:02X}:{(digest >> 8) & 255:02X}:{digest & 255:02X}"
    rest = "".join(f",{k}={v}" for k, v in opts.items())
    return f"{model}={mac}{rest}"


def _nic(value: str) -> dict[str, str]:
    opts = _options(value)
    model = opts.pop("_", None) or opts.pop("model", None)
    for name in NET_MODELS:
        if name in opts:
            model, opts["macaddr"] = name, opts.pop(name)
    opts["model"] = model or ""
    return opts


def net_live(old: str, new: str) -> bool:
    """True when a running VM's NIC takes ``old`` → ``new`` without hotplug: qemu-server
    re-plugs the tap for a bridge, VLAN tag, trunks, firewall or rate change; a model, MAC,
    queues or MTU change needs network hotplug (else it waits for a restart)."""
    before, after = _nic(old), _nic(new)
    return all(before.get(k) == after.get(k) for k in ("model", "macaddr", "queues", "mtu"))


def is_net(key: str) -> bool:
    """True for net0, net1, ..."""
    return _NET.match(key) is not None
