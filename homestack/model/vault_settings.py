"""Where Homestack finds Vault (or OpenBao) and how it logs in: part of the Site.

Only references travel here: the names of environment variables that hold a token or an
AppRole's ids, and ``path#key`` references for database root passwords. No value is ever
written into ``site.py``.
"""

from __future__ import annotations

import enum

from pydantic import BaseModel, Field, field_validator

from homestack.model.modelconfig import FROZEN
from homestack.model.secret import SecretRef


class VaultAuthMethod(enum.Enum):
    """How the vault target logs in."""

    TOKEN = "token"
    APPROLE = "approle"
    KUBERNETES = "kubernetes"


class VaultAuth(BaseModel):
    """Login settings; each secret is the NAME of an environment variable, never its value.

    - ``token``: the token is read from ``token_env`` (``VAULT_TOKEN`` by default).
    - ``approle``: ``role_id_env`` and ``secret_id_env`` name the variables; ``mount`` the
      auth mount (``approle``).
    - ``kubernetes``: logs in as ``role`` with the pod's service account token read from
      ``jwt_path``; ``mount`` the auth mount (``kubernetes``).
    """

    model_config = FROZEN
    method: VaultAuthMethod = VaultAuthMethod.TOKEN
    token_env: str = "VAULT_TOKEN"
    role_id_env: str = "VAULT_ROLE_ID"
    secret_id_env: str = "VAULT_SECRET_ID"
    role: str = ""
    jwt_path: str = "/var/run/secrets/kubernetes.io/serviceaccount/token"
    mount: str = ""


class VaultDatabase(BaseModel):
    """A database secrets engine connection (the shared server behind ``postgres_database``).

    ``name`` is what static roles name as ``db_name`` (the kit uses ``pg-shared``);
    ``connection_url`` holds ``{{username}}``/``{{password}}`` templates; ``password`` is a
    KV reference (``secret/dbaas#vault_password``) read at apply time only. The connection
    belongs to the Stack ``stack`` (every Stack with a database needs it).
    """

    model_config = FROZEN
    name: str = "pg-shared"
    plugin: str = "postgresql-database-plugin"
    connection_url: str
    username: str
    password: str
    stack: str = "dbaas"
    allowed_roles: tuple[str, ...] = ("*",)

    @field_validator("password")
    @classmethod
    def _reference(cls, value: str) -> str:
        SecretRef.parse(value)
        return value


class VaultSettings(BaseModel):
    """The Site's Vault: address, login, namespace, mounts, database connections.

    ``kv_mount`` is the KV v2 mount secret references live under (``secret``);
    ``kubernetes_mount`` the Kubernetes auth mount that per-Stack roles are written to;
    ``database_mount`` the database secrets engine; ``stack`` the Stack that owns the KV mount
    (when the homelab has one). ``verify`` is TLS verification (a CA bundle path or a bool).
    """

    model_config = FROZEN
    address: str
    auth: VaultAuth = VaultAuth()
    namespace: str | None = None
    kv_mount: str = "secret"
    kubernetes_mount: str = "kubernetes"
    database_mount: str = "database"
    databases: tuple[VaultDatabase, ...] = ()
    stack: str = "vault"
    token_ttl: int = Field(default=3600, gt=0)
    verify: bool | str = True
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("address")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"vault address {value!r} must start with http:// or https://")
        return value.rstrip("/")


class TransitSettings(BaseModel):
    """A Vault Transit key that can also open the bootstrap state (beside age recipients).

    The bootstrap directory keeps one X25519 age identity wrapped by this key
    (``<bootstrap_dir>/.transit-identity``); its public key is added to every state file's
    recipients, so either an age identity or a Vault login allowed to decrypt with ``key``
    can read the state. The token comes from ``token_env``, or an AppRole from its two
    variables, as for the vault target.
    """

    model_config = FROZEN
    address: str
    key: str
    mount: str = "transit"
    namespace: str | None = None
    auth: VaultAuth = VaultAuth()
    verify: bool | str = True

    @field_validator("address")
    @classmethod
    def _url(cls, value: str) -> str:
        return VaultSettings._url(value)
