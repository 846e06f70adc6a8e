"""Rules on storage: explicit and known StorageClasses, sensitive data encrypted, block backups,
Recreate for RWO volumes, no inline NFS, no SQLite on NFS."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from homestack.model import annotations as a
from homestack.policy import _manifest as m
from homestack.policy.context import Item, PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity

LOCAL_PATH = "local-path"
RWO_MODES = frozenset({"ReadWriteOnce", "ReadWriteOncePod"})


@dataclass(frozen=True)
class Claim:
    """A PVC body and where it came from (a PVC object or a StatefulSet claim template)."""

    item: Item
    body: dict[str, Any]
    label: str


def claims(ctx: PolicyContext) -> Iterator[Claim]:
    """Every PVC and every StatefulSet volumeClaimTemplate."""
    for item in ctx.of_kind("PersistentVolumeClaim"):
        yield Claim(item, item.body, f"PVC {item.name}")
    for item in ctx.of_kind("StatefulSet"):
        for template in m.as_list(m.dig(item.body, "spec", "volumeClaimTemplates")):
            if isinstance(template, dict):
                yield Claim(item, template, f"claim template {m.name(template)}")


def _class_name(body: dict[str, Any]) -> str | None:
    value = m.dig(body, "spec", "storageClassName")
    return None if value is None else str(value)


def is_nfs_class(ctx: PolicyContext, name: str | None) -> bool:
    """True for an NFS-backed StorageClass (by name, or a Site class that is RWX, not block)."""
    if not name:
        return False
    declared = ctx.site.storage_class(name)
    return "nfs" in name.lower() or (declared is not None and declared.rwx and not declared.block)


def _explicit_class(ctx: PolicyContext) -> Iterator[Hit]:
    for claim in claims(ctx):
        if "storageClassName" not in m.as_dict(claim.body.get("spec")):
            yield Hit(claim.item.stack, claim.item.address,
                      f"{claim.label} has no storageClassName, so the cluster default "
                      f"({LOCAL_PATH}: node-pinned, not backed up) would be used")


def _known_class(ctx: PolicyContext) -> Iterator[Hit]:
    if not ctx.site.storage_classes:
        return
    known = sorted(sc.name for sc in ctx.site.storage_classes)
    for claim in claims(ctx):
        name = _class_name(claim.body)
        if name and ctx.site.storage_class(name) is None:
            yield Hit(claim.item.stack, claim.item.address,
                      f"{claim.label} uses StorageClass {name!r}, which the Site does not "
                      f"declare (known: {', '.join(known)})")


def _local_path(ctx: PolicyContext) -> Iterator[Hit]:
    for claim in claims(ctx):
        name = _class_name(claim.body)
        declared = ctx.site.storage_class(name) if name else None
        if name == LOCAL_PATH or (declared is not None and declared.implicit_default):
            yield Hit(claim.item.stack, claim.item.address,
                      f"{claim.label} uses {name}, which pins the pod to one node and is "
                      "not backed up")


def _sensitive_encrypted(ctx: PolicyContext) -> Iterator[Hit]:
    for claim in claims(ctx):
        if not m.is_true(m.annotations_of(claim.body).get(a.SENSITIVE)):
            continue
        name = _class_name(claim.body)
        declared = ctx.site.storage_class(name) if name else None
        if declared is None or not declared.sensitive:
            yield Hit(claim.item.stack, claim.item.address,
                      f"{claim.label} holds sensitive data on StorageClass {name or '(none)'!r}, "
                      "which is not encrypted")


def _backups(ctx: PolicyContext) -> dict[str, set[str]]:
    backed: dict[str, set[str]] = {}
    for item in ctx.of_kind("CronJob"):
        targets = m.split_list(m.annotations_of(item.body).get(a.BACKUP_OF))
        backed.setdefault(item.namespace, set()).update(targets)
    return backed


def _block_backup(ctx: PolicyContext) -> Iterator[Hit]:
    backed = _backups(ctx)
    for item in ctx.of_kind("PersistentVolumeClaim"):
        name = _class_name(item.body)
        declared = ctx.site.storage_class(name) if name else None
        if declared is None or not declared.block:
            continue
        if item.name not in backed.get(item.namespace, set()):
            yield Hit(item.stack, item.address,
                      f"block PVC {item.name} on {name} has no backup CronJob "
                      f"(none in {item.namespace} carries {a.BACKUP_OF}: {item.name})")


def _claim_names(spec: dict[str, Any]) -> list[str]:
    return [
        str(m.dig(volume, "persistentVolumeClaim", "claimName"))
        for volume in m.as_list(spec.get("volumes"))
        if isinstance(volume, dict) and m.dig(volume, "persistentVolumeClaim", "claimName")
    ]


def _rwo_recreate(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("Deployment"):
        if m.dig(item.body, "spec", "strategy", "type") == "Recreate":
            continue
        for claim_name in _claim_names(m.pod_spec(item.body)):
            claim = ctx.find("PersistentVolumeClaim", item.namespace, claim_name)
            modes = set(m.as_list(m.dig(claim.body, "spec", "accessModes"))) if claim else set()
            if modes & RWO_MODES:
                yield Hit(item.stack, item.address,
                          f"mounts ReadWriteOnce PVC {claim_name} but rolls out with "
                          "RollingUpdate: the new pod cannot attach the volume")


def _inline_nfs(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        for volume in m.as_list(m.pod_spec(item.body).get("volumes")):
            if isinstance(volume, dict) and "nfs" in volume:
                yield Hit(item.stack, item.address,
                          f"volume {volume.get('name', '?')!r} mounts NFS inline")


def _pv_is_nfs(ctx: PolicyContext, body: dict[str, Any]) -> bool:
    spec = m.as_dict(body.get("spec"))
    driver = str(m.dig(spec, "csi", "driver") or "")
    nfs_driver = ctx.site.nfs.driver if ctx.site.nfs else "nfs.csi.k8s.io"
    return "nfs" in spec or driver == nfs_driver or "nfs" in driver or is_nfs_class(
        ctx, _class_name(body))


def _sqlite_nfs(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("PersistentVolume"):
        if m.is_true(m.annotations_of(item.body).get(a.SQLITE)) and _pv_is_nfs(ctx, item.body):
            yield Hit(item.stack, item.address, f"NFS PV {item.name} is marked as SQLite data")
    for claim in claims(ctx):
        if not m.is_true(m.annotations_of(claim.body).get(a.SQLITE)):
            continue
        volume_name = m.dig(claim.body, "spec", "volumeName")
        bound = ctx.find("PersistentVolume", "", str(volume_name)) if volume_name else None
        if is_nfs_class(ctx, _class_name(claim.body)) or (
                bound is not None and _pv_is_nfs(ctx, bound.body)):
            yield Hit(claim.item.stack, claim.item.address,
                      f"{claim.label} holds SQLite data on NFS")
    for item in ctx.workloads():
        template = m.pod_template(item.body) or {}
        if not (m.is_true(m.annotations_of(item.body).get(a.SQLITE))
                or m.is_true(m.annotations_of(template).get(a.SQLITE))):
            continue
        for volume in m.as_list(m.pod_spec(item.body).get("volumes")):
            if isinstance(volume, dict) and "nfs" in volume:
                yield Hit(item.stack, item.address,
                          f"SQLite workload mounts NFS volume {volume.get('name', '?')!r}")


RULES = (
    Rule("HS-STORAGE-001", "PVCs name their StorageClass", Severity.ERROR,
         "Without storageClassName the cluster default applies: local-path, pinned to one node "
         "and never backed up.",
         "Set storageClassName (kit: block_volume or nfs_volume choose it)", _explicit_class,
         scope=Scope.STACK),
    Rule("HS-STORAGE-002", "StorageClasses are declared in the Site", Severity.ERROR,
         "A class the Site does not know provisions nothing, or something no one backs up.",
         "Use a StorageClass from site.storage_classes or declare it there", _known_class,
         scope=Scope.STACK),
    Rule("HS-STORAGE-003", "no local-path volumes", Severity.WARNING,
         "local-path pins pods to one node and is not backed up.",
         "Use proxmox-lvm(-encrypted) for block data or an NFS volume", _local_path,
         scope=Scope.STACK),
    Rule("HS-STORAGE-004", "sensitive data on the encrypted StorageClass", Severity.ERROR,
         "Databases, auth, mail, git and finance data must sit on LUKS-encrypted volumes.",
         "Use a sensitive StorageClass (proxmox-lvm-encrypted)", _sensitive_encrypted,
         scope=Scope.STACK),
    Rule("HS-STORAGE-005", "block PVCs have a backup CronJob", Severity.ERROR,
         "Block volumes live on one thin pool; the nightly copy to NFS is their second copy.",
         f"Add a backup CronJob annotated {a.BACKUP_OF}: <pvc> (kit: block_volume does it)",
         _block_backup),
    Rule("HS-STORAGE-006", "ReadWriteOnce volumes use the Recreate strategy", Severity.ERROR,
         "A rolling update starts the new pod before the old one stops; an RWO volume cannot "
         "attach to both, so the rollout hangs.",
         "Set spec.strategy.type: Recreate", _rwo_recreate),
    Rule("HS-STORAGE-007", "no inline NFS volumes", Severity.ERROR,
         "Inline NFS volumes skip the fixed mount options, Retain and the export check.",
         "Use a static NFS PV + PVC (kit: nfs_volume)", _inline_nfs, scope=Scope.STACK),
    Rule("HS-STORAGE-008", "no SQLite on NFS", Severity.ERROR,
         "SQLite's locking is unsafe on NFS and corrupts databases.",
         "Put SQLite files on a block volume (kit: block_volume)", _sqlite_nfs),
)
