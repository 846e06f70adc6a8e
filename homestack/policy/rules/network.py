"""Rules on the network: LB IPs in the pool, ETP on shared and dedicated IPs, duplicate VM ids
and IPs, overlapping CIDRs."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from homestack.policy import _manifest as m
from homestack.policy.context import Item, PolicyContext
from homestack.policy.rule import SITE_STACK, Hit, Rule, Scope, Severity

LB_IP_ANNOTATIONS = ("metallb.universe.tf/loadBalancerIPs", "metallb.io/loadBalancerIPs")


def lb_ips(item: Item) -> list[str]:
    """IPs a LoadBalancer Service asks for (spec.loadBalancerIP or the MetalLB annotation)."""
    found = []
    ip = m.dig(item.body, "spec", "loadBalancerIP")
    if ip:
        found.append(str(ip))
    notes = m.annotations_of(item.body)
    for key in LB_IP_ANNOTATIONS:
        found.extend(m.split_list(notes.get(key)))
    return list(dict.fromkeys(found))


def lb_services(ctx: PolicyContext) -> Iterator[Item]:
    """Services of type LoadBalancer."""
    return (item for item in ctx.of_kind("Service")
            if m.dig(item.body, "spec", "type") == "LoadBalancer")


def _etp(item: Item) -> str:
    return str(m.dig(item.body, "spec", "externalTrafficPolicy") or "Cluster")


def _by_ip(ctx: PolicyContext) -> dict[str, list[Item]]:
    users: dict[str, list[Item]] = {}
    for item in lb_services(ctx):
        for ip in lb_ips(item):
            users.setdefault(ip, []).append(item)
    return users


def _in_pool(ctx: PolicyContext) -> Iterator[Hit]:
    pool = ctx.site.lb_pool
    for item in lb_services(ctx):
        for ip in lb_ips(item):
            try:
                inside = pool is not None and pool.contains(ip)
            except ValueError:
                inside = False
            if not inside:
                where = f"{pool.first}-{pool.last}" if pool else "(the Site declares no pool)"
                yield Hit(item.stack, item.address, f"LB IP {ip} is outside the pool {where}")


def _mixed_etp(ctx: PolicyContext) -> Iterator[Hit]:
    pool = ctx.site.lb_pool
    for ip, items in sorted(_by_ip(ctx).items()):
        policies = {_etp(item) for item in items}
        shared = pool is not None and ip == pool.shared_ip
        if len(policies) < 2 and not (shared and policies != {"Cluster"}):
            continue
        for item in items:
            yield Hit(item.stack, item.address,
                      f"externalTrafficPolicy {_etp(item)} on {ip}, which is shared by "
                      f"{len(items)} Service(s) with {', '.join(sorted(policies))}"
                      if len(policies) > 1 else
                      f"externalTrafficPolicy {_etp(item)} on the shared IP {ip}")


def _dedicated(ctx: PolicyContext) -> Iterator[Hit]:
    pool = ctx.site.lb_pool
    if pool is None:
        return
    owner_of = {ip: owner for owner, ip in pool.dedicated.items()}
    for ip, items in sorted(_by_ip(ctx).items()):
        if ip not in owner_of:
            continue
        owner = owner_of[ip]
        for item in items:
            if len(items) > 1:
                yield Hit(item.stack, item.address,
                          f"dedicated IP {ip} ({owner}) is used by {len(items)} Services")
            elif owner not in (item.name, item.stack):
                yield Hit(item.stack, item.address, f"IP {ip} is dedicated to {owner}")


def _vm_address(vm_id: int) -> str:
    return f"pve:vm:{vm_id}"


def _vm_ids(ctx: PolicyContext) -> Iterator[Hit]:
    seen: dict[int, str] = {}
    for vm in ctx.site.vms:
        if vm.id in seen:
            yield Hit(SITE_STACK, _vm_address(vm.id),
                      f"VM id {vm.id} is used by {seen[vm.id]} and {vm.name}")
        else:
            seen[vm.id] = vm.name


def _names(ctx: PolicyContext) -> Iterator[Hit]:
    """One name per host, VM, network and StorageClass: Homestack finds each by its name."""
    site = ctx.site
    kinds = (("hosts", "pve:host:", [h.name for h in site.hosts]),
             ("VMs", "site:vm:", [vm.name for vm in site.vms]),
             ("networks", "site:network:", [n.name for n in site.networks]),
             ("StorageClasses", "site:storage-class:", [c.name for c in site.storage_classes]))
    for plural, prefix, names in kinds:
        for name in sorted({n for n in names if names.count(n) > 1}):
            yield Hit(SITE_STACK, f"{prefix}{name}",
                      f"{names.count(name)} {plural} are called {name}")


def _ips(ctx: PolicyContext) -> Iterator[Hit]:
    seen: dict[str, str] = {}
    owners = [(f"host {h.name}", f"pve:host:{h.name}", h.address) for h in ctx.site.hosts]
    owners += [
        (f"VM {vm.name}", _vm_address(vm.id), str(ipaddress.ip_interface(nic.ip).ip))
        for vm in ctx.site.vms for nic in vm.nics if nic.ip
    ]
    for label, address, ip in owners:
        if ip in seen:
            yield Hit(SITE_STACK, address, f"IP {ip} of {label} is also used by {seen[ip]}")
        else:
            seen[ip] = label


def _cidrs(ctx: PolicyContext) -> Iterator[Hit]:
    networks = [(net.name, ipaddress.ip_network(net.cidr, strict=False))
                for net in ctx.site.networks]
    for index, (name, net) in enumerate(networks):
        for other_name, other in networks[:index]:
            if net.version == other.version and net.overlaps(other):
                yield Hit(SITE_STACK, f"site:network:{name}",
                          f"network {name} ({net}) overlaps {other_name} ({other})")


def _vm_in_pool(ctx: PolicyContext) -> Iterator[Hit]:
    pool = ctx.site.lb_pool
    if pool is None:
        return
    for vm in ctx.site.vms:
        for nic in vm.nics:
            if nic.ip and pool.contains(str(ipaddress.ip_interface(nic.ip).ip)):
                yield Hit(SITE_STACK, _vm_address(vm.id),
                          f"VM {vm.name} has IP {nic.ip} inside the LB pool "
                          f"{pool.first}-{pool.last}")


RULES = (
    Rule("HS-NET-001", "LB IPs are inside the pool", Severity.ERROR,
         "MetalLB only announces addresses of its pool; another IP stays pending forever.",
         "Use the shared IP or a dedicated IP of site.lb_pool", _in_pool, scope=Scope.STACK),
    Rule("HS-NET-002", "no mixed externalTrafficPolicy on a shared IP", Severity.ERROR,
         "MetalLB refuses to share an IP between Services with different traffic policies; the "
         "shared IP is for ETP Cluster.",
         "Use ETP Cluster on the shared IP, or a dedicated IP for ETP Local", _mixed_etp),
    Rule("HS-NET-003", "a dedicated IP serves one Service", Severity.ERROR,
         "Dedicated IPs exist for one Service's ETP Local traffic (real client IPs, QUIC).",
         "Use the shared IP, or add a dedicated IP for this Service to site.lb_pool",
         _dedicated),
    Rule("HS-NET-004", "VM ids are unique", Severity.ERROR,
         "Proxmox addresses VMs by id; two VMs with one id overwrite each other.",
         "Give each VM its own id", _vm_ids),
    Rule("HS-NET-008", "Site names are unique by kind", Severity.ERROR,
         "Hosts, VMs, networks and StorageClasses are found by name; with two of one name, "
         "one of them is changed to look like the other.",
         "Give each its own name in site.py", _names),
    Rule("HS-NET-005", "IP addresses are unique", Severity.ERROR,
         "Two hosts with one address make both unreachable at random.",
         "Give each host and VM its own address", _ips),
    Rule("HS-NET-006", "networks do not overlap", Severity.ERROR,
         "Overlapping CIDRs make routing between VLANs ambiguous.",
         "Fix the CIDRs of site.networks", _cidrs),
    Rule("HS-NET-007", "VM IPs are outside the LB pool", Severity.ERROR,
         "MetalLB would hand a VM's address to a Service.",
         "Move the VM's IP or shrink site.lb_pool", _vm_in_pool),
)
