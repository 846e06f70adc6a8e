"""Typed string fields of the Site: names, quantities, addresses, label maps.

Plain ``str`` fields accepted ``"64 gigs"`` as memory and ``"k8s node1/../x"`` as a VM name;
these annotated types refuse such values at load time, so the error names the field of
``site.py`` (``vms.1.name``) instead of surfacing later as a wrong VM or a bad file name.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator

from homestack.model.apisyntax import (
    check_dns_label,
    check_label_value,
    check_qualified_name,
    check_subdomain,
)
from homestack.model.quantity import is_memory, parse_quantity

_HOST_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*"
                        r"[A-Za-z0-9])?)*$")
_PVE_ID = re.compile(r"^[A-Za-z][-A-Za-z0-9_.]*[A-Za-z0-9]$")
_IFACE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$")
_BRANCH = re.compile(r"^(?!/)(?!.*(\.\.|//|@\{|\.lock$|/$|\.$))[^\s~^:?*\[\\\x00-\x1f\x7f]+$")


def _rule(check: Callable[[object], str]) -> Callable[[str], str]:
    def validate(value: str) -> str:
        why = check(value)
        if why:
            raise ValueError(why)
        return value

    return validate


def _host_name(value: str) -> str:
    if len(value) > 253 or not _HOST_NAME.fullmatch(value):
        raise ValueError("must be a DNS name: letters, digits, '-' and '.', no spaces or '/'")
    return value


def _memory(value: str) -> str:
    if not is_memory(value) or parse_quantity(value) <= 0:
        raise ValueError("must be a byte quantity like '64Gi' or '512Mi'")
    return value


def _cpu(value: str) -> str:
    if is_memory(value) and value.strip()[-1:].isalpha():
        raise ValueError("must be a CPU quantity like '250m' or '2', not bytes")
    try:
        parse_quantity(value)
    except ValueError as exc:
        raise ValueError("must be a CPU quantity like '250m' or '2'") from exc
    return value


def _pve_id(value: str) -> str:
    if not _PVE_ID.fullmatch(value):
        raise ValueError("must be a Proxmox storage id: letters, digits, '-', '_' and '.'")
    return value


def _iface(value: str) -> str:
    if not _IFACE.fullmatch(value):
        raise ValueError("must be a network interface name (like 'vmbr0'), at most 15 characters")
    return value


def _address(value: str) -> str:
    ipaddress.ip_address(value)
    return value


def _host_or_address(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        _host_name(value)
    return value


def _branch(value: str) -> str:
    if not _BRANCH.fullmatch(value):
        raise ValueError("must be a Git branch name (no spaces, '..', '~', '^', ':' or '\\')")
    return value


def _labels(value: dict[str, str]) -> dict[str, str]:
    for key, text in value.items():
        why = check_qualified_name(key) or check_label_value(text)
        if why:
            raise ValueError(f"label {key!r}: {why}")
    return value


DnsLabel = Annotated[str, AfterValidator(_rule(check_dns_label))]
"""A DNS-1123 label: a Kubernetes namespace-style name."""
DnsSubdomain = Annotated[str, AfterValidator(_rule(check_subdomain))]
"""A DNS-1123 subdomain: domains, StorageClass names."""
HostName = Annotated[str, AfterValidator(_host_name)]
"""A host or VM name: DNS labels joined by dots."""
Memory = Annotated[str, AfterValidator(_memory)]
"""A byte quantity: '64Gi', '512Mi'."""
Cpu = Annotated[str, AfterValidator(_cpu)]
"""A CPU quantity: '250m', '2' (never negative: the pattern has no sign)."""
PveStorage = Annotated[str, AfterValidator(_pve_id)]
"""A Proxmox storage id: 'local-lvm'."""
Interface = Annotated[str, AfterValidator(_iface)]
"""A network interface or bridge name: 'vmbr0'."""
IpAddress = Annotated[str, AfterValidator(_address)]
"""An IPv4 or IPv6 address."""
HostOrAddress = Annotated[str, AfterValidator(_host_or_address)]
"""An IP address or a DNS name."""
Branch = Annotated[str, AfterValidator(_branch)]
"""A Git branch name."""
LabelMap = Annotated[dict[str, str], AfterValidator(_labels)]
"""Kubernetes labels: qualified-name keys, label values."""
TaintKey = Annotated[str, AfterValidator(_rule(check_qualified_name))]
"""A taint key: a qualified name like 'nvidia.com/gpu'."""
