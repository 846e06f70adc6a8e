"""What the homelab asks of Vault, derived purely from every Stack's rendered Resources.

Built once when the vault target opens (like the kube target's view of the homelab): the
secret references each Stack uses (with the stack line that declared them), the KV keys some
Stack generates, and the objects the target keeps beside a Stack's own Resources:

- ``vault:policy:homestack-<stack>``: read on every path the Stack references;
- ``vault:kubernetes:role:<stack>``: bound to the Stack's ServiceAccounts (``default`` in its
  namespaces when it declares none), granting that policy, unless the Stack declares a role of
  that name itself (``secret_stores`` does, for the ESO login);
- ``vault:policy:homestack-owner-<user>``: for each roster user with namespaces, on the
  Stack ``VaultSettings.stack``, with the KV mount ``vault:kv:mount:<kv_mount>``;
- ``vault:mount:<database_mount>`` and ``vault:database:connection:<name>`` on each
  connection's Stack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from homestack.kit.secret_stores import POLICY_MARKER
from homestack.model import Provider, Resource, SecretRef, Site, VaultSettings
from homestack.model.resource import Origin

KV_STORE = "vault-kv"
DATABASE_STORE = "vault-database"
POLICY = "policy"
AUTH_ROLE = "kubernetes:role"
STATIC_ROLE = "database:static-role"
CONNECTION = "database:connection"
MOUNT = "mount"
KV_MOUNT = "kv:mount"
GENERATED = "kv:generated"
MARKER = POLICY_MARKER


@dataclass(frozen=True)
class Reference:
    """One secret reference of a Stack and where it was declared."""

    ref: SecretRef
    origins: tuple[Origin, ...]


@dataclass(frozen=True)
class Catalog:
    """The homelab's Vault needs by Stack (immutable once built)."""

    settings: VaultSettings
    references: Mapping[str, tuple[Reference, ...]] = field(default_factory=dict)
    generated: frozenset[tuple[str, str]] = frozenset()
    static_roles: frozenset[str] = frozenset()
    extra: Mapping[str, tuple[Resource, ...]] = field(default_factory=dict)

    def companions(self, stack: str) -> list[Resource]:
        """The objects the target derives for ``stack`` (see the module docstring)."""
        return list(self.extra.get(stack, ()))

    def all_companions(self) -> list[Resource]:
        """Every derived object of the homelab."""
        return [r for stack in sorted(self.extra) for r in self.extra[stack]]


def kv_split(path: str) -> tuple[str, str]:
    """``secret/immich/db`` → (``secret``, ``immich/db``): the KV mount and the path in it."""
    mount, _, rest = path.partition("/")
    return mount, rest


def _acl_path(ref: SecretRef) -> str:
    if ref.store == KV_STORE:
        mount, rest = kv_split(ref.path)
        return f"{mount}/data/{rest}"
    return ref.path


def policy_text(subject: str, paths: Iterable[str], capabilities: Sequence[str]) -> str:
    """An ACL policy in HCL, headed by Homestack's ownership marker."""
    caps = ", ".join(f'"{c}"' for c in capabilities)
    lines = [f"{MARKER} ({subject})"]
    lines += [f'path "{p}" {{\n  capabilities = [{caps}]\n}}' for p in sorted(set(paths))]
    return "\n".join(lines) + "\n"


def _stack_objects(settings: VaultSettings, stack: str,
                   resources: Sequence[Resource], refs: Sequence[Reference]) -> list[Resource]:
    if not refs:
        return []
    policy = f"homestack-{stack}"
    text = policy_text(f"stack {stack}", (_acl_path(r.ref) for r in refs), ["read"])
    accounts = sorted({(r.namespace or "", r.object_name) for r in resources
                       if r.provider is Provider.K8S and r.k8s_kind == "ServiceAccount"})
    if not accounts:
        accounts = sorted({(r.namespace, "default") for r in resources
                           if r.provider is Provider.K8S and r.secret_refs and r.namespace})
    out = [Resource(provider=Provider.VAULT, kind=POLICY, name=policy, body={"policy": text})]
    declared = {r.address for r in resources}
    if accounts and f"vault:{AUTH_ROLE}:{stack}" not in declared:
        role = {"bound_service_account_names": sorted({a[1] for a in accounts}),
                "bound_service_account_namespaces": sorted({a[0] for a in accounts if a[0]}),
                "token_policies": [policy], "token_ttl": settings.token_ttl}
        out.append(Resource(provider=Provider.VAULT, kind=AUTH_ROLE, name=stack, body=role))
    return out


def _site_objects(site: Site, settings: VaultSettings) -> dict[str, list[Resource]]:
    extra: dict[str, list[Resource]] = {}
    owner = extra.setdefault(settings.stack, [])
    owner.append(Resource(provider=Provider.VAULT, kind=KV_MOUNT, name=settings.kv_mount,
                          body={"type": "kv", "version": "2"}))
    for user in site.identity.users:
        if user.namespaces:  # every roster user with namespaces owns their paths
            kv = settings.kv_mount
            paths = [p for ns in user.namespaces
                     for p in (f"{kv}/data/{ns}", f"{kv}/data/{ns}/*", f"{kv}/metadata/{ns}/*")]
            text = policy_text(f"owner {user.name}", paths,
                               ["create", "read", "update", "delete", "list"])
            owner.append(Resource(provider=Provider.VAULT, kind=POLICY,
                                  name=f"homestack-owner-{user.name}", body={"policy": text}))
    for db in settings.databases:
        mine = extra.setdefault(db.stack, [])
        mount = Resource(provider=Provider.VAULT, kind=MOUNT, name=settings.database_mount,
                         body={"type": "database"})
        if mount.address not in {r.address for r in mine}:
            mine.append(mount)
        body = {"plugin_name": db.plugin, "connection_url": db.connection_url,
                "username": db.username, "password": db.password,
                "allowed_roles": list(db.allowed_roles)}
        mine.append(Resource(provider=Provider.VAULT, kind=CONNECTION, name=db.name, body=body))
    return extra


def build_catalog(site: Site, resources: Mapping[str, Sequence[Resource]]) -> Catalog:
    """Derive the Catalog of a homelab from its rendered, governed Resources by Stack."""
    settings = site.vault
    assert settings is not None, "the vault target opens only when the Site configures Vault"
    references: dict[str, tuple[Reference, ...]] = {}
    generated: set[tuple[str, str]] = set()
    static_roles: set[str] = set()
    extra = _site_objects(site, settings)
    for stack, rendered in resources.items():
        origins: dict[SecretRef, set[Origin]] = {}
        for resource in rendered:
            for ref in resource.secret_refs:
                found = origins.setdefault(ref, set())
                if resource.origin is not None:
                    found.add(resource.origin)
            if resource.provider is Provider.VAULT and resource.kind == GENERATED:
                generated.add((str(resource.body["path"]), str(resource.body["key"])))
                if "public_key" in resource.body:  # a keypair: its public half too
                    generated.add((str(resource.body["path"]), str(resource.body["public_key"])))
            if resource.provider is Provider.VAULT and resource.kind == STATIC_ROLE:
                static_roles.add(resource.name)
        references[stack] = tuple(
            Reference(ref, tuple(sorted(where, key=lambda o: (o.file, o.line))))
            for ref, where in sorted(origins.items(), key=lambda item: str(item[0])))
        objects = _stack_objects(settings, stack, rendered, references[stack])
        if objects:
            extra.setdefault(stack, []).extend(objects)
    return Catalog(settings=settings, references=references, generated=frozenset(generated),
                   static_roles=frozenset(static_roles),
                   extra={k: tuple(v) for k, v in extra.items() if v})
