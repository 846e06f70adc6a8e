"""``postgres_server``: a Postgres of the Stack's own, for a homelab without a shared one.

One StatefulSet of the official image on its own claim (on ``storage_class``; ``sensitive``
says whether the data needs the encrypted class) or on the ``volume`` given (a
``block_volume``, with its backups), its Service, and a ``cluster_secret`` holding the
password, drawn in the cluster. It requires no platform capability, so it runs on the bare cluster
``homestack init --platform minimal`` starts from; a homelab with the shared CNPG cluster uses
``postgres_database`` instead (a database there, rotated logins from Vault, backups).

The handle gives ``.host``, ``.port``, ``.database``, ``.user`` and ``.password`` (a Secret
key) for env.

Example::

    db = postgres_server(stack)
    deployment(stack, "app", ..., env={"DB_HOST": db.host, "DB_PASSWORD": db.password})
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, check_size, metadata
from homestack.kit._pod import Security
from homestack.kit._strict import strict
from homestack.kit.cluster_secret import cluster_secret
from homestack.kit.database import _identifier
from homestack.kit.namespace import implied_namespace
from homestack.kit.probe import tcp_probe
from homestack.kit.secrets import SecretKey
from homestack.kit.volume import Mountable
from homestack.kit.workload import statefulset
from homestack.model import ModelError, RenderContext, Resource, Stack
from homestack.model import annotations as ann

IMAGE = "docker.io/library/postgres:17.2"
PORT = 5432
DATA = "/var/lib/postgresql/data"
POSTGRES_UID = 999  # the postgres user of the official image


@dataclass
class DataVolume:
    """The server's PersistentVolumeClaim (ReadWriteOnce), kept when the Stack is deleted
    only through the data-loss guard like every claim."""

    name: str
    size: str
    storage_class: str | None
    sensitive: bool

    @property
    def volume_name(self) -> str:
        """Name of the pod volume."""
        return self.name

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """The claim as a pod volume."""
        return {"persistentVolumeClaim": {"claimName": self.name}}

    def render(self, context: RenderContext) -> Sequence[Resource]:
        spec: dict[str, Any] = {"accessModes": ["ReadWriteOnce"],
                                "resources": {"requests": {"storage": self.size}}}
        if self.storage_class:
            spec["storageClassName"] = self.storage_class
        body = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": metadata(context.stack, self.name,
                                     annotations={ann.SENSITIVE: str(self.sensitive).lower()}),
                "spec": spec}
        return [Resource.k8s(body)]


@dataclass(frozen=True)
class PostgresServer:
    """How an app reaches the Stack's Postgres."""

    name: str
    namespace: str
    database: str
    user: str
    password: SecretKey

    @property
    def host(self) -> str:
        """The server's Service name inside the cluster."""
        return f"{self.name}.{self.namespace}.svc.cluster.local"

    @property
    def port(self) -> int:
        """Postgres's port."""
        return PORT


@strict
@checked
def postgres_server(
    stack: Stack, name: str = "postgres", *, database: str | None = None,
    user: str | None = None, size: str = "4Gi", storage_class: str | None = None,
    sensitive: bool = True, volume: Mountable | None = None, image: str = IMAGE,
    memory: str = "256Mi", cpu: str = "50m",
) -> PostgresServer:
    """Run Postgres in the Stack: ``database`` and ``user`` default to the Stack's name; the
    data goes on ``volume``, else on a claim of ``size`` on ``storage_class``."""
    check_name(name, "postgres_server")
    subject = f"postgres_server {name}"
    check_size(size, subject)
    if storage_class is not None:
        check_name(storage_class, "storage_class")
    database = _identifier(database or stack.name, "database")
    user = _identifier(user or stack.name, "user")
    login = cluster_secret(stack, f"{name}-login", keys=["password"])
    if volume is None:
        volume = DataVolume(name=f"{name}-data", size=size, storage_class=storage_class,
                            sensitive=sensitive)
        implied_namespace(stack)
        stack.add(volume)
    elif storage_class is not None:
        raise ModelError("pass storage_class or volume, not both", subject=subject,
                         hint="The volume's helper chooses its StorageClass")
    password = login["password"]
    statefulset(
        stack, name, image=image, memory=memory, cpu=cpu, ports={"postgres": PORT},
        env={"POSTGRES_DB": database, "POSTGRES_USER": user, "POSTGRES_PASSWORD": password,
             "PGDATA": f"{DATA}/pgdata"},
        mounts={DATA: volume}, probes=tcp_probe(port=PORT),
        security=Security(run_as_user=POSTGRES_UID, run_as_group=POSTGRES_UID,
                          fs_group=POSTGRES_UID, run_as_non_root=True))
    return PostgresServer(name=name, namespace=stack.namespace, database=database, user=user,
                          password=password)
