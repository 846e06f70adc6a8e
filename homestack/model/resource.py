"""Resources: one desired object owned by one Provider, with a stable address and a content hash.

Addresses read ``<provider>:<kind>:<name>``:

- ``k8s:apps/v1:Deployment:immich/server`` (namespaced) or ``k8s:v1:Namespace:immich``
- ``dns:cloudflare:A:immich.example.org``, ``dns:technitium:A:grafana.home.arpa``
- ``vault:kv:secret/immich``, ``pve:vm:201``
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from pydantic import BaseModel, Field

from homestack.model.address import Address
from homestack.model.diff import SECRET_FIELDS
from homestack.model.errors import ModelError
from homestack.model.modelconfig import FROZEN, shared_config
from homestack.model.secret import SecretRef, assert_no_secret_values


class Provider(enum.Enum):
    """The provider that owns a Resource (the only code that talks to its API)."""

    K8S = "k8s"
    DNS = "dns"
    VAULT = "vault"
    PVE = "pve"
    AUTHENTIK = "authentik"


class Origin(BaseModel):
    """Where a Resource was declared: the stack file and line, for error messages."""

    model_config = shared_config(frozen=True)

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


_Json = TypeVar("_Json")


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spaces: the input of every content hash."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def copy_json(data: _Json) -> _Json:
    """A deep copy of JSON-shaped data (dicts, lists, scalars): what ``copy.deepcopy`` gives
    for a manifest, several times faster (no memo, no reduce protocol). Other containers
    (tuples) are immutable here and shared."""
    if isinstance(data, dict):
        return cast(_Json, {key: copy_json(value) for key, value in data.items()})
    if isinstance(data, list):
        return cast(_Json, [copy_json(value) for value in data])
    return data


def hashed_body(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` as content hashes see it: a Secret's values replaced by a fixed marker."""
    if body.get("kind") != "Secret" or not any(isinstance(body.get(f), dict)
                                               for f in SECRET_FIELDS):
        return body
    masked = dict(body)
    for field in SECRET_FIELDS:
        values = body.get(field)
        if isinstance(values, dict):
            masked[field] = dict.fromkeys(values, "<secret>")
    return masked


class Resource(BaseModel):
    """One desired object.

    ``owned_elsewhere`` lists dotted field paths (``spec.replicas``,
    ``metadata.annotations["keel.sh/policy"]``) that another controller owns after creation:
    Homestack sets them on create only and never reports them as drift. ``ignore`` silences
    policy rules for this Resource, each entry ``"HS-AREA-NNN: reason"``.
    """

    model_config = FROZEN

    provider: Provider
    kind: str
    name: str
    body: dict[str, Any]
    owned_elsewhere: tuple[str, ...] = ()
    secret_refs: tuple[SecretRef, ...] = ()
    ignore: tuple[str, ...] = ()
    force: bool = False
    origin: Origin | None = Field(default=None, exclude=True)

    def model_post_init(self, context: Any, /) -> None:
        # Raised after validation so the SecretLeakError type reaches the caller unwrapped.
        assert_no_secret_values(self.body, f"{self.provider.value}:{self.kind}:{self.name}")

    @property
    def address(self) -> str:
        """The stable subject used in plans, state, logs and errors."""
        return f"{self.provider.value}:{self.kind}:{self.name}"

    @property
    def typed_address(self) -> Address:
        """The address as a typed value (``str()`` of it is ``address``)."""
        if self.provider is Provider.K8S:
            return Address.k8s(self.api_version, self.k8s_kind, self.object_name, self.namespace)
        return Address.parse(self.address)

    @functools.cached_property
    def content_hash(self) -> str:
        """sha256 over the address and body; equal hashes mean nothing to apply.

        The values of a Secret's ``data`` and ``stringData`` are left out (their keys stay in):
        the hash is recorded in state, and an unsalted hash of a short password is guessed
        offline in seconds. A changed Secret value is still found by a live plan, which reads
        the cluster; ``plan --from-state`` cannot see it.

        Computed once: a Resource is frozen and its body is never changed in place (a change
        is a ``model_copy`` with a new body, which forgets the hash).
        """
        digest = hashlib.sha256()
        digest.update(self.address.encode())
        digest.update(b"\0")
        digest.update(canonical_json(hashed_body(self.body)).encode())
        return digest.hexdigest()

    @property
    def holds_secret_values(self) -> bool:
        """A Secret written with its values (``data`` or ``stringData``), not a reference."""
        return self.body.get("kind") == "Secret" and any(self.body.get(f) for f in SECRET_FIELDS)

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Resource:
        """A copy; with ``update``, one that computes its content hash afresh."""
        copied = super().model_copy(update=update, deep=deep)
        if update:
            copied.__dict__.pop("content_hash", None)
        return copied

    @property
    def api_version(self) -> str:
        """apiVersion of a Kubernetes object (``k8s`` provider only)."""
        return str(self.body.get("apiVersion", ""))

    @property
    def k8s_kind(self) -> str:
        """``kind`` of a Kubernetes object (``k8s`` provider only)."""
        return str(self.body.get("kind", ""))

    @property
    def namespace(self) -> str | None:
        """metadata.namespace of a Kubernetes object, None when cluster-scoped."""
        metadata = self.body.get("metadata", {})
        namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
        return str(namespace) if namespace else None

    @property
    def object_name(self) -> str:
        """metadata.name of a Kubernetes object, else the name part of the address."""
        metadata = self.body.get("metadata", {})
        if isinstance(metadata, dict) and metadata.get("name"):
            return str(metadata["name"])
        return self.name

    def sort_key(self) -> tuple[str, str]:
        """Stable order: provider, then address."""
        return (self.provider.value, self.address)

    @classmethod
    def k8s(
        cls,
        body: dict[str, Any],
        *,
        owned_elsewhere: tuple[str, ...] = (),
        secret_refs: tuple[SecretRef, ...] = (),
        ignore: tuple[str, ...] = (),
        force: bool = False,
        origin: Origin | None = None,
    ) -> Resource:
        """Build a Kubernetes Resource from a manifest dict (apiVersion, kind, metadata.name)."""
        api_version = body.get("apiVersion")
        kind = body.get("kind")
        metadata = body.get("metadata")
        if not api_version or not kind:
            raise ModelError(
                "a Kubernetes object needs apiVersion and kind",
                subject=str(origin) if origin else None,
                hint="Add apiVersion (like 'apps/v1') and kind (like 'Deployment')",
            )
        if not isinstance(metadata, dict) or not metadata.get("name"):
            raise ModelError(
                f"{kind} has no metadata.name",
                subject=str(origin) if origin else None,
                hint="Every Kubernetes object needs metadata.name",
            )
        namespace = metadata.get("namespace")
        name = f"{namespace}/{metadata['name']}" if namespace else str(metadata["name"])
        return cls(
            provider=Provider.K8S,
            kind=f"{api_version}:{kind}",
            name=name,
            body=body,
            owned_elsewhere=owned_elsewhere,
            secret_refs=secret_refs,
            ignore=ignore,
            force=force,
            origin=origin,
        )
