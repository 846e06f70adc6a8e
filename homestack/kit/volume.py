"""Volumes a workload mounts: NFS (static PV + PVC), existing claims, scratch space, the protocol.

A volume helper returns a handle; workloads take handles in ``mounts={"/path": handle}``. NFS
volumes are static PVs on the NFS CSI driver with the Site's mount options and server (or the
``server=`` given), ``Retain``; the PV name is ``<namespace>-<name>`` so it is unique across
namespaces. ``claim("name")`` mounts a PVC that exists already (a Helm chart's, a restore's).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, check_size, metadata
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.model import ModelError, Nfs, RenderContext, Resource, Stack, StorageClass
from homestack.model import annotations as ann

NFS_CLASS = "nfs-truenas"
ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


@runtime_checkable
class Mountable(Protocol):
    """Anything a workload can mount: it names its pod volume and describes its source."""

    @property
    def volume_name(self) -> str:
        """Name of the pod volume."""
        ...

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """The pod volume body without its name (``persistentVolumeClaim``, ``emptyDir``...)."""
        ...


@dataclass(frozen=True)
class Mount:
    """A mountable with options; build it with ``mount(handle, sub_path=..., read_only=...)``."""

    volume: Mountable
    sub_path: str = ""
    read_only: bool = False


@strict
@checked
def mount(volume: Mountable, *, sub_path: str = "", read_only: bool = False) -> Mount:
    """Mount ``volume`` with a sub-path or read-only.

    Example: ``mounts={"/photos": mount(library, sub_path="photos", read_only=True)}``
    """
    if sub_path.startswith("/") or ".." in sub_path.split("/"):
        raise ModelError(f"sub_path {sub_path!r} must be relative and stay inside the volume")
    return Mount(volume=volume, sub_path=sub_path, read_only=read_only)


@dataclass(frozen=True)
class EmptyDir:
    """Scratch space that lives as long as the pod."""

    name: str
    size_limit: str | None = None
    memory: bool = False

    @property
    def volume_name(self) -> str:
        """Name of the pod volume."""
        return self.name

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """An ``emptyDir`` volume."""
        spec: dict[str, Any] = {}
        if self.memory:
            spec["medium"] = "Memory"
        if self.size_limit:
            spec["sizeLimit"] = self.size_limit
        return {"emptyDir": spec}


@strict
@checked
def empty_dir(name: str, *, size_limit: str | None = None, memory: bool = False) -> EmptyDir:
    """Scratch space for ``mounts`` (no Resource of its own).

    Example: ``mounts={"/tmp": empty_dir("tmp", size_limit="1Gi")}``
    """
    check_name(name, "emptyDir")
    if size_limit is not None:
        check_size(size_limit, f"emptyDir {name}")
    return EmptyDir(name=name, size_limit=size_limit, memory=memory)


def nfs_class(site_classes: Sequence[StorageClass], wanted: str | None) -> str:
    """The NFS StorageClass name: the given one, the Site's RWX class, or ``nfs-truenas``."""
    if wanted:
        return wanted
    rwx = [sc.name for sc in site_classes if sc.rwx and not sc.block]
    return rwx[0] if rwx else NFS_CLASS


@dataclass
class NfsVolume:
    """A static NFS PersistentVolume and its claim."""

    name: str
    export: str
    size: str
    access_modes: tuple[str, ...] = ("ReadWriteMany",)
    storage_class: str | None = None
    sqlite: bool = False
    server: str | None = None
    owned_elsewhere: tuple[str, ...] = ()

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

    def export_path(self, context: RenderContext) -> str:
        """The exported directory on the NFS server."""
        return self.export

    def render(self, context: RenderContext) -> Sequence[Resource]:
        site, stack = context.site, context.stack
        if site.nfs is None and self.server is None:
            raise ModelError(
                f"nfs_volume {self.name!r} needs an NFS server",
                hint="Declare Site(nfs=Nfs(server=...)) in site.py or pass server=",
            )
        nfs = site.nfs or Nfs(server=str(self.server))
        server = self.server or nfs.server
        pv_name = f"{stack.namespace}-{self.name}"
        storage_class = nfs_class(site.storage_classes, self.storage_class)
        export = self.export_path(context)
        notes = {ann.SQLITE: "true"} if self.sqlite else None
        pv = {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": metadata(stack, pv_name, cluster_scoped=True, annotations=notes),
            "spec": {
                "capacity": {"storage": self.size},
                "accessModes": list(self.access_modes),
                "persistentVolumeReclaimPolicy": "Retain",
                "storageClassName": storage_class,
                "mountOptions": list(nfs.mount_options),
                "csi": {
                    "driver": nfs.driver,
                    "volumeHandle": f"{server}#{export}#",
                    "volumeAttributes": {"server": server, "share": export},
                },
                "claimRef": {"namespace": stack.namespace, "name": self.claim_name},
            },
        }
        pvc = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": metadata(stack, self.claim_name, annotations=notes),
            "spec": {
                "accessModes": list(self.access_modes),
                "storageClassName": storage_class,
                "volumeName": pv_name,
                "resources": {"requests": {"storage": self.size}},
            },
        }
        return [Resource.k8s(pv), Resource.k8s(pvc, owned_elsewhere=self.owned_elsewhere)]


def check_export(export: str, subject: str) -> str:
    """An absolute, normalised path without '..'."""
    if not export.startswith("/") or ".." in export.split("/") or posixpath.normpath(
        export
    ) != export:
        raise ModelError(
            f"export {export!r} is not an absolute, normalised path",
            subject=subject,
            hint="Write it like '/srv/nfs/immich'",
        )
    return export


@strict
@checked
def nfs_volume(
    stack: Stack,
    name: str,
    *,
    export: str,
    size: str,
    access_modes: Sequence[str] = ("ReadWriteMany",),
    storage_class: str | None = None,
    sqlite: bool = False,
    server: str | None = None,
    owned_elsewhere: Sequence[str] = (),
) -> NfsVolume:
    """Declare a static NFS PV + PVC (Retain, the Site's mount options); mount the handle.

    ``sqlite=True`` records that the volume holds SQLite files (policy refuses that on NFS);
    ``server`` names another NFS server than the Site's (a second NAS); ``owned_elsewhere``
    lists PVC fields another controller owns.

    Example::

        library = nfs_volume(stack, "library", export="/srv/nfs/immich", size="2Ti")
        deployment(stack, "server", ..., mounts={"/data": library})
    """
    subject = f"nfs_volume {name}"
    check_name(name, "nfs_volume")
    check_export(export, subject)
    check_size(size, subject)
    modes = tuple(access_modes)
    if not modes or any(mode not in ACCESS_MODES for mode in modes):
        raise ModelError(f"access modes {list(modes)} are not valid", subject=subject,
                         hint=f"Use some of {', '.join(ACCESS_MODES)}")
    if server is not None and (not server or any(c.isspace() or c in "/#" for c in server)):
        raise ModelError(f"server {server!r} is not a host name or IP address", subject=subject)
    component = NfsVolume(name=name, export=export, size=size, access_modes=modes,
                          storage_class=storage_class, sqlite=sqlite, server=server,
                          owned_elsewhere=tuple(owned_elsewhere))
    implied_namespace(stack)
    stack.add(component)
    return component


@dataclass(frozen=True)
class Claim:
    """A PersistentVolumeClaim that exists already, mounted by name (nothing is declared)."""

    claim_name: str
    read_only: bool = False

    @property
    def volume_name(self) -> str:
        """Name of the pod volume."""
        return f"pvc-{self.claim_name}"[:63]

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """The pod volume: a claim on the existing PVC."""
        source: dict[str, Any] = {"claimName": self.claim_name}
        if self.read_only:
            source["readOnly"] = True
        return {"persistentVolumeClaim": source}


@strict
def claim(name: str, *, read_only: bool = False) -> Claim:
    """An existing PVC of the Stack's namespace as a volume (a chart's claim, a restored one).

    Example: ``mounts={"/data": claim("data-postgres-0")}``
    """
    check_name(name, "PersistentVolumeClaim")
    return Claim(claim_name=name, read_only=read_only)
