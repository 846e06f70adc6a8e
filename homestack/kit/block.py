"""Block volumes: an encrypted (or plain) LVM PVC, its autoresizer, backup CronJob and Recreate.

``block_volume`` declares a PVC on ``proxmox-lvm-encrypted`` (``sensitive=True``, the default)
or ``proxmox-lvm``; pvc-autoresizer annotations grow it by 100% at 10% free up to a limit. It
also attaches, once per Stack, an NFS backup target at ``<nfs.backup_root>/<service>-backup``
and, per volume, a nightly CronJob that archives the volume there (annotated with BACKUP_OF and
co-scheduled with the pods that mount it, since the volume is ReadWriteOnce). Any workload that
mounts a block volume renders with the ``Recreate`` strategy: two pods cannot hold it at once.
The autoresizer owns ``spec.resources.requests.storage`` once it grows the claim, so the kit
records that field as owned elsewhere: ``size`` is the size at creation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, check_size, metadata, scale_quantity, selector
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.kit.volume import Mount, NfsVolume
from homestack.model import ModelError, RenderContext, Resource, Stack, parse_quantity
from homestack.model import annotations as ann

ENCRYPTED_CLASS = "proxmox-lvm-encrypted"
PLAIN_CLASS = "proxmox-lvm"
RESIZE_THRESHOLD = "resize.topolvm.io/threshold"
RESIZE_INCREASE = "resize.topolvm.io/increase"
RESIZE_LIMIT = "resize.topolvm.io/storage_limit"
RESIZED_FIELD = "spec.resources.requests.storage"
BACKUP_IMAGE = "docker.io/library/busybox:1.36.1"
BACKUP_TARGET = "backup"
KEEP_DAYS = 14


@dataclass
class BackupTarget(NfsVolume):
    """The Stack's NFS backup directory ``<backup_root>/<service>-backup`` (one per Stack)."""

    def export_path(self, context: RenderContext) -> str:
        """``<site.nfs.backup_root>/<stack>-backup``."""
        root = context.site.nfs.backup_root if context.site.nfs else ""
        return f"{root.rstrip('/')}/{context.stack.name}-backup"


@dataclass
class BlockVolume:
    """A block PVC with autoresize, a backup CronJob and the Recreate strategy for its users."""

    name: str
    size: str
    sensitive: bool = True
    storage_limit: str = ""
    schedule: str = "30 3 * * *"
    sqlite: bool = False
    owned_elsewhere: tuple[str, ...] = ()

    @property
    def storage_class(self) -> str:
        """``proxmox-lvm-encrypted`` when sensitive, else ``proxmox-lvm``."""
        return ENCRYPTED_CLASS if self.sensitive else PLAIN_CLASS

    @property
    def claim_name(self) -> str:
        """Name of the PersistentVolumeClaim."""
        return self.name

    @property
    def volume_name(self) -> str:
        """Name of the pod volume."""
        return self.name

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """The pod volume: a claim on the PVC."""
        return {"persistentVolumeClaim": {"claimName": self.claim_name}}

    def render(self, context: RenderContext) -> Sequence[Resource]:
        stack = context.stack
        notes = {
            RESIZE_THRESHOLD: "10%",
            RESIZE_INCREASE: "100%",
            RESIZE_LIMIT: self.storage_limit,
            ann.SENSITIVE: "true" if self.sensitive else "false",
        }
        if self.sqlite:
            notes[ann.SQLITE] = "true"
        pvc = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": metadata(stack, self.claim_name, annotations=notes),
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": self.storage_class,
                "resources": {"requests": {"storage": self.size}},
            },
        }
        owned = (RESIZED_FIELD, *(p for p in self.owned_elsewhere if p != RESIZED_FIELD))
        return [Resource.k8s(pvc, owned_elsewhere=owned),
                Resource.k8s(self._backup_job(context))]

    def _users(self, context: RenderContext) -> list[str]:
        users = []
        for component in context.stack.components:
            mounts = getattr(component, "mounts", None)
            if not isinstance(mounts, dict):
                continue
            for target in mounts.values():
                volume = target.volume if isinstance(target, Mount) else target
                if volume is self:
                    users.append(component.name)
        return users

    def _backup_job(self, context: RenderContext) -> dict[str, Any]:
        stack = context.stack
        name = f"{self.name}-backup"
        script = (
            f"set -eu; tar czf /backup/{self.name}-$(date +%Y%m%d-%H%M).tar.gz -C /data . && "
            f"find /backup -name '{self.name}-*.tar.gz' -mtime +{KEEP_DAYS} -delete"
        )
        pod: dict[str, Any] = {
            "restartPolicy": "OnFailure",
            "containers": [{
                "name": "backup",
                "image": BACKUP_IMAGE,
                "command": ["/bin/sh", "-c", script],
                "resources": {"requests": {"cpu": "50m", "memory": "128Mi"},
                              "limits": {"memory": "128Mi"}},
                "volumeMounts": [
                    {"name": "data", "mountPath": "/data", "readOnly": True},
                    {"name": "backup", "mountPath": "/backup"},
                ],
            }],
            "volumes": [
                {"name": "data", "persistentVolumeClaim": {"claimName": self.claim_name,
                                                           "readOnly": True}},
                {"name": "backup", "persistentVolumeClaim": {"claimName": BACKUP_TARGET}},
            ],
        }
        users = self._users(context)
        if users:
            pod["affinity"] = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": selector(stack, users[0])},
                 "topologyKey": "kubernetes.io/hostname"},
            ]}}
        return {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": metadata(stack, name, app=name,
                                 annotations={ann.BACKUP_OF: self.claim_name}),
            "spec": {
                "schedule": self.schedule,
                "concurrencyPolicy": "Forbid",
                "successfulJobsHistoryLimit": 1,
                "failedJobsHistoryLimit": 3,
                "jobTemplate": {"spec": {"backoffLimit": 2, "template": {
                    "metadata": {"labels": metadata(stack, name, app=name)["labels"]},
                    "spec": pod,
                }}},
            },
        }


def _ensure_backup_target(stack: Stack) -> None:
    for component in stack.components:
        if isinstance(component, BackupTarget):
            return
    stack.add(BackupTarget(name=BACKUP_TARGET, export="", size="1Gi"))


@strict
@checked
def block_volume(
    stack: Stack,
    name: str,
    *,
    size: str,
    sensitive: bool = True,
    storage_limit: str | None = None,
    backup_schedule: str = "30 3 * * *",
    sqlite: bool = False,
    owned_elsewhere: Sequence[str] = (),
) -> BlockVolume:
    """Declare a block PVC (encrypted unless ``sensitive=False``) with autoresize and backups.

    ``storage_limit`` caps the autoresizer (default: four times ``size``). Workloads mounting
    the handle use the Recreate strategy. The claim's size belongs to the autoresizer after
    creation (recorded as owned elsewhere); ``owned_elsewhere`` adds further PVC fields.

    Example::

        data = block_volume(stack, "data", size="10Gi")
        deployment(stack, "vaultwarden", ..., mounts={"/data": data})
    """
    subject = f"block_volume {name}"
    check_name(name, "block_volume")
    check_size(size, subject)
    if storage_limit is None:
        storage_limit = scale_quantity(size, 4)
    check_size(storage_limit, subject)
    if parse_quantity(storage_limit) < parse_quantity(size):
        raise ModelError(f"storage_limit {storage_limit} is below size {size}", subject=subject,
                         hint="The autoresizer only grows: give a limit at least the size")
    if len(backup_schedule.split()) != 5:
        raise ModelError(f"backup_schedule {backup_schedule!r} is not a cron expression",
                         subject=subject, hint="Use five fields, like '30 3 * * *'")
    component = BlockVolume(name=name, size=size, sensitive=sensitive,
                            storage_limit=storage_limit, schedule=backup_schedule, sqlite=sqlite,
                            owned_elsewhere=tuple(owned_elsewhere))
    implied_namespace(stack)
    stack.add(component)
    _ensure_backup_target(stack)
    return component


