"""External secrets: Vault values synced into Kubernetes Secrets by an ExternalSecret.

Secrets travel as ``SecretRef`` (store, Vault path, key). A workload env value that is a
``SecretRef`` registers its key here: the Stack gets one ExternalSecret per (store, path), named
after the path (``secret/immich`` → ``immich-secrets``, ``database/static-creds/immich`` →
``immich-db-creds``), holding every key the Stack uses. Values
never appear in a rendered object; ``Resource.secret_refs`` lists what each object reads.
``external_secret`` declares a named one, optionally with ``data_from`` (every key of a Vault
path) and a ``template`` that renders files with secret values inside (ESO template engine v2),
so a config file holding one password needs only that password in Vault.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, metadata, slug
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.model import Capability, ModelError, RenderContext, Resource, SecretRef, Stack

ESO_API = "external-secrets.io/v1"
KV_STORE = "vault-kv"
DATABASE_STORE = "vault-database"
STORES = (KV_STORE, DATABASE_STORE)
REFRESH = "1h"
DB_CREDS_PREFIX = "database/static-creds/"


def secret_name(ref: SecretRef) -> str:
    """Name of the Kubernetes Secret that holds ``ref``'s path in the Stack's namespace."""
    if ref.path.startswith(DB_CREDS_PREFIX):
        return f"{slug(ref.path.removeprefix(DB_CREDS_PREFIX))}-db-creds"[:253]
    return f"{slug(ref.path.removeprefix('secret/'))}-secrets"[:253]


def _external_secret(
    stack: Stack, name: str, store: str, data: list[dict[str, Any]], template_type: str | None,
    template: Mapping[str, str] | None = None, data_from: Sequence[str] = (),
) -> dict[str, Any]:
    target: dict[str, Any] = {"name": name, "creationPolicy": "Owner"}
    if template_type or template:
        shape: dict[str, Any] = {}
        if template_type:
            shape["type"] = template_type
        if template:
            shape["engineVersion"] = "v2"
            shape["data"] = dict(sorted(template.items()))
        target["template"] = shape
    spec: dict[str, Any] = {
        "refreshInterval": REFRESH,
        "secretStoreRef": {"kind": "ClusterSecretStore", "name": store},
        "target": target,
    }
    if data:
        spec["data"] = data
    if data_from:
        spec["dataFrom"] = [{"extract": {"key": path}} for path in data_from]
    return {"apiVersion": ESO_API, "kind": "ExternalSecret", "metadata": metadata(stack, name),
            "spec": spec}


@dataclass
class SecretSync:
    """One ExternalSecret for one Vault path; keys accumulate as workloads reference them."""

    name: str
    store: str
    path: str
    keys: set[str] = field(default_factory=set)
    requires: tuple[Capability, ...] = (Capability.EXTERNAL_SECRETS,)

    def render(self, context: RenderContext) -> Sequence[Resource]:
        data = [
            {"secretKey": key, "remoteRef": {"key": self.path, "property": key}}
            for key in sorted(self.keys)
        ]
        refs = tuple(SecretRef(path=self.path, key=k, store=self.store) for k in sorted(self.keys))
        body = _external_secret(context.stack, self.name, self.store, data, None)
        return [Resource.k8s(body, secret_refs=refs)]


def sync(stack: Stack, ref: SecretRef) -> str:
    """Make sure ``stack`` syncs ``ref``; return the Kubernetes Secret name that will hold it."""
    if ref.store not in STORES:
        raise ModelError(
            f"secret store {ref.store!r} is unknown",
            subject=str(ref),
            hint=f"Use one of the ClusterSecretStores: {', '.join(STORES)}",
        )
    name = secret_name(ref)
    for component in stack.components:
        if isinstance(component, SecretSync) and component.name == name:
            if (component.store, component.path) != (ref.store, ref.path):
                raise ModelError(
                    f"Secret {name!r} would hold both {component.path} and {ref.path}",
                    subject=f"stack {stack.name}",
                    hint="Use distinct Vault paths",
                )
            component.keys.add(ref.key)
            return name
    implied_namespace(stack)
    stack.add(SecretSync(name=name, store=ref.store, path=ref.path, keys={ref.key}))
    return name


@dataclass(frozen=True)
class SecretKey:
    """One key of a Kubernetes Secret the kit declared; usable as an env value."""

    secret: str
    key: str
    ref: SecretRef | None = None


@dataclass
class ExternalSecret:
    """An ExternalSecret with a chosen name and key mapping (see ``external_secret``)."""

    name: str
    store: str
    data: dict[str, SecretRef]
    template_type: str | None = None
    requires: tuple[Capability, ...] = (Capability.EXTERNAL_SECRETS,)
    template: dict[str, str] = field(default_factory=dict)
    data_from: tuple[str, ...] = ()
    owned_elsewhere: tuple[str, ...] = ()

    @property
    def volume_name(self) -> str:
        """Pod volume name when mounted as files."""
        return self.name

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """The pod volume that mounts every key as a file."""
        return {"secret": {"secretName": self.name}}

    def __getitem__(self, key: str) -> SecretKey:
        if key in self.template:
            # A rendered file: the ExternalSecret object records the references it reads.
            return SecretKey(secret=self.name, key=key)
        if key not in self.data:
            known = sorted({*self.data, *self.template})
            raise ModelError(f"ExternalSecret {self.name!r} has no key {key!r}",
                             hint=f"Known keys: {', '.join(known)}")
        return SecretKey(secret=self.name, key=key, ref=self.data[key])

    def render(self, context: RenderContext) -> Sequence[Resource]:
        data = [
            {"secretKey": key, "remoteRef": {"key": ref.path, "property": ref.key}}
            for key, ref in sorted(self.data.items())
        ]
        body = _external_secret(context.stack, self.name, self.store, data, self.template_type,
                                self.template, self.data_from)
        return [Resource.k8s(body, secret_refs=tuple(self.data[k] for k in sorted(self.data)),
                             owned_elsewhere=self.owned_elsewhere)]


def _check_shape(name: str, data: Mapping[str, object], template: Mapping[str, str],
                 data_from: Sequence[str]) -> None:
    subject = f"external_secret {name}"
    if not data and not data_from:
        raise ModelError(f"ExternalSecret {name!r} has no keys",
                         hint="Map at least one key or give data_from")
    for path in data_from:
        if "#" in path or not path:
            raise ModelError(f"data_from {path!r} is not a Vault path", subject=subject,
                             hint="Give the path only, like 'secret/app': every key is synced")
    for key, text in template.items():
        if not isinstance(text, str) or "{{" not in text:
            raise ModelError(f"template {key!r} uses no secret value", subject=subject,
                             hint="Refer to keys as {{ .password }}; plain files belong in "
                             "config_files(...)")


@strict
@checked
def external_secret(
    stack: Stack,
    name: str,
    data: Mapping[str, str | SecretRef] | None = None,
    *,
    store: str = KV_STORE,
    template_type: str | None = None,
    template: Mapping[str, str] | None = None,
    data_from: Sequence[str] = (),
    owned_elsewhere: Sequence[str] = (),
) -> ExternalSecret:
    """Declare an ExternalSecret ``name`` whose keys come from Vault references.

    Values are ``SecretRef`` or ``"path#key"`` strings. Index the handle to use a key as env,
    mount it as files, or pass it to a workload's ``env_from``. ``data_from`` syncs every key
    of the given Vault paths; ``template`` maps Secret keys to ESO templates (engine v2) that
    render files with the values inside.

    Example::

        creds = external_secret(stack, "smtp", {"user": "secret/mail#user",
                                                "password": "secret/mail#password"})
        deployment(stack, "app", ..., env={"SMTP_PASSWORD": creds["password"]})
        conf = external_secret(stack, "app-config", {"password": "secret/app#db_password"},
                               template={"config.yml": "db:\n  password: {{ .password }}\n"})
    """
    check_name(name, "ExternalSecret")
    if store not in STORES:
        raise ModelError(f"secret store {store!r} is unknown",
                         hint=f"Use one of: {', '.join(STORES)}")
    data = data or {}
    _check_shape(name, data, template or {}, tuple(data_from))
    refs: dict[str, SecretRef] = {}
    for key, value in data.items():
        ref = value if isinstance(value, SecretRef) else SecretRef.parse(value, store=store)
        if ref.store != store:
            ref = ref.model_copy(update={"store": store})
        refs[key] = ref
    component = ExternalSecret(name=name, store=store, data=refs, template_type=template_type,
                               template=dict(template or {}), data_from=tuple(data_from),
                               owned_elsewhere=tuple(owned_elsewhere))
    implied_namespace(stack)
    stack.add(component)
    return component


@strict
@checked
def vault_secret(
    stack: Stack, key: str, *, path: str | None = None, store: str = KV_STORE
) -> SecretRef:
    """A reference to ``key`` under the Stack's Vault path (``secret/<stack>`` by default).

    Example: ``env={"API_TOKEN": vault_secret(stack, "api_token")}``
    """
    ref = SecretRef(path=path or f"secret/{stack.name}", key=key, store=store)
    sync(stack, ref)
    return ref
