"""Databases on the shared servers: a CNPG ``Database`` for Postgres, operator CRs for MySQL.

No ``kubectl exec``: the database is a custom resource in the shared cluster's namespace, the
login is a Vault database static role (rotated every 7 days; ``db_name`` ``pg-shared`` for
Postgres, ``mysql`` for MySQL, the names of the Site's database connections), and the app reads
it through the Stack's ExternalSecret from the ``vault-database`` store. The Postgres role
itself is a CNPG managed role of the shared Cluster, which the ``dbaas`` Stack owns: the
Database records its owner role in the ``homestack.dev/db-role`` annotation so that Stack (or a
policy generator) can list every managed role from the rendered objects. The handle gives
``.host`` (PgBouncer), ``.port``, ``.database``, ``.user`` and ``.password`` (a ``SecretRef``)
for env.

Database and role names are kept as given: ``"paperless-ngx"`` stays ``paperless-ngx`` (the
operators quote identifiers; ``.quoted`` gives the SQL form ``"paperless-ngx"`` for scripts).
Pass ``database=`` / ``user=`` to keep a name that differs from the handle's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, metadata
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.kit.secrets import DATABASE_STORE, sync
from homestack.model import (
    Capability,
    ModelError,
    Provider,
    RenderContext,
    Resource,
    SecretRef,
    Stack,
)
from homestack.model import annotations as ann

POSTGRES_NAMESPACE = "dbaas"
POSTGRES_CLUSTER = "pg-shared"
POSTGRES_POOLER = "pg-shared-pooler-rw"
MYSQL_NAMESPACE = "mysql"
MYSQL_SERVER = "mysql"
ROTATION = "168h"
_MAX_IDENTIFIER = 63  # Postgres truncates longer identifiers; MySQL allows 64


@dataclass
class _RotatedLogin:
    """A database and its user, whose password a Vault database static role rotates."""

    name: str
    database: str
    user: str
    owned_elsewhere: tuple[str, ...] = ()

    @property
    def password(self) -> SecretRef:
        """The rotating password, as a reference for env."""
        return SecretRef(path=f"database/static-creds/{self.user}", key="password",
                         store=DATABASE_STORE)

    @property
    def username(self) -> SecretRef:
        """The login name as synced by Vault (equal to ``user``)."""
        return SecretRef(path=f"database/static-creds/{self.user}", key="username",
                         store=DATABASE_STORE)


@dataclass
class PostgresDatabase(_RotatedLogin):
    """A database on the shared CNPG cluster, reached through PgBouncer."""

    requires: tuple[Capability, ...] = (Capability.POSTGRES,)

    @property
    def quoted(self) -> str:
        """The database name as a quoted SQL identifier (``"paperless-ngx"``)."""
        return '"' + self.database.replace('"', '""') + '"'

    @property
    def host(self) -> str:
        """DNS name of the PgBouncer pooler Service."""
        return f"{POSTGRES_POOLER}.{POSTGRES_NAMESPACE}.svc.cluster.local"

    @property
    def port(self) -> int:
        """PgBouncer's port."""
        return 5432

    def render(self, context: RenderContext) -> Sequence[Resource]:
        meta = metadata(context.stack, f"{context.stack.name}-{self.name}",
                        namespace=POSTGRES_NAMESPACE, annotations={ann.DB_ROLE: self.user})
        body = {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Database",
            "metadata": meta,
            "spec": {"cluster": {"name": POSTGRES_CLUSTER}, "name": self.database,
                     "owner": self.user, "ensure": "present",
                     "databaseReclaimPolicy": "retain"},
        }
        return [Resource.k8s(body, owned_elsewhere=self.owned_elsewhere),
                _static_role(POSTGRES_CLUSTER, self.user)]


_Database = TypeVar("_Database", "PostgresDatabase", "MysqlDatabase")


def _identifier(name: str, what: str) -> str:
    if not name or len(name.encode()) > _MAX_IDENTIFIER or "\0" in name or '"' in name:
        raise ModelError(f"{what} {name!r} is not a usable identifier",
                         hint=f"Use 1-{_MAX_IDENTIFIER} bytes without quotes or NUL")
    return name


@strict
@checked
def postgres_database(
    stack: Stack, name: str, *, database: str | None = None, user: str | None = None,
    owned_elsewhere: Sequence[str] = (),
) -> PostgresDatabase:
    """Declare a Postgres database (and its owner role's Vault static role) on the shared cluster.

    ``database`` and ``user`` default to ``name``, kept as given (hyphens included).

    Example::

        db = postgres_database(stack, "immich")
        deployment(stack, "server", ..., env={"DB_HOSTNAME": db.host, "DB_USERNAME": db.user,
                                              "DB_PASSWORD": db.password})
    """
    check_name(name, "postgres_database")
    return _declared(stack, PostgresDatabase(
        name=name, database=_identifier(database or name, "database"),
        user=_identifier(user or name, "user"), owned_elsewhere=tuple(owned_elsewhere)))


def _declared(stack: Stack, component: _Database) -> _Database:
    """Add the database to the Stack, with its namespace and the sync of its password."""
    implied_namespace(stack)
    stack.add(component)
    sync(stack, component.password)
    return component


def _static_role(db_name: str, user: str) -> Resource:
    """The Vault database static role that owns (and rotates) ``user``'s password."""
    body = {"db_name": db_name, "username": user, "rotation_period": ROTATION}
    return Resource(provider=Provider.VAULT, kind="database:static-role", name=user, body=body)


@dataclass
class MysqlDatabase(_RotatedLogin):
    """A database, user and grant on the shared MySQL server (mariadb-operator CRs)."""

    requires: tuple[Capability, ...] = (Capability.MYSQL, Capability.EXTERNAL_SECRETS)

    @property
    def host(self) -> str:
        """DNS name of the MySQL Service."""
        return f"{MYSQL_SERVER}.{MYSQL_NAMESPACE}.svc.cluster.local"

    @property
    def port(self) -> int:
        """MySQL's port."""
        return 3306

    def _cr(self, context: RenderContext, kind: str, suffix: str,
            spec: dict[str, Any]) -> Resource:
        ref = {"mariaDbRef": {"name": MYSQL_SERVER, "namespace": MYSQL_NAMESPACE}}
        body = {"apiVersion": "k8s.mariadb.com/v1alpha1", "kind": kind,
                "metadata": metadata(context.stack, f"{context.stack.name}-{self.name}{suffix}",
                                     namespace=MYSQL_NAMESPACE),
                "spec": {**ref, **spec}}
        return Resource.k8s(body, secret_refs=(self.password,) if kind == "User" else (),
                            owned_elsewhere=self.owned_elsewhere if kind == "Database" else ())

    def render(self, context: RenderContext) -> Sequence[Resource]:
        # The operator's User reads the same rotating password as the app, so a rotation by
        # Vault and the operator's reconcile agree on one value.
        secret = f"{context.stack.name}-{self.name}-mysql"
        password = {"name": secret, "key": "password"}
        store = {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                 "metadata": metadata(context.stack, secret, namespace=MYSQL_NAMESPACE),
                 "spec": {"refreshInterval": "1h",
                          "secretStoreRef": {"kind": "ClusterSecretStore",
                                             "name": DATABASE_STORE},
                          "target": {"name": secret, "creationPolicy": "Owner"},
                          "data": [{"secretKey": "password", "remoteRef": {
                              "key": self.password.path, "property": self.password.key}}]}}
        return [
            self._cr(context, "Database", "", {"name": self.database,
                                               "characterSet": "utf8mb4",
                                               "collate": "utf8mb4_unicode_ci"}),
            self._cr(context, "User", "", {"name": self.user,
                                           "passwordSecretKeyRef": password, "host": "%"}),
            self._cr(context, "Grant", "", {"privileges": ["ALL PRIVILEGES"],
                                            "database": self.database, "table": "*",
                                            "username": self.user, "host": "%"}),
            Resource.k8s(store, secret_refs=(self.password,)),
            _static_role(MYSQL_SERVER, self.user),
        ]


@strict
@checked
def mysql_database(
    stack: Stack, name: str, *, database: str | None = None, user: str | None = None,
    owned_elsewhere: Sequence[str] = (),
) -> MysqlDatabase:
    """Declare a MySQL database, user and grant (and the user's Vault static role) on the
    shared server.

    The password is the Vault static role's (``database/static-creds/<user>``, rotated every
    7 days through the Site's ``mysql`` database connection); ``database`` and ``user``
    default to ``name``, kept as given.

    Example::

        db = mysql_database(stack, "nextcloud")
        deployment(stack, "app", ..., env={"MYSQL_HOST": db.host, "MYSQL_PASSWORD": db.password})
    """
    check_name(name, "mysql_database")
    return _declared(stack, MysqlDatabase(
        name=name, database=_identifier(database or name, "database"),
        user=_identifier(user or name, "user"), owned_elsewhere=tuple(owned_elsewhere)))
