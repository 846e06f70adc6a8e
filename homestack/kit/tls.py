"""The namespace's wildcard TLS Secret, with exactly one owner: the Stack, through one component.

Design: one copy per namespace, generated as an ExternalSecret named ``wildcard-tls`` (public
domain) or ``wildcard-internal-tls`` (internal domain) from ``secret/platform`` in Vault. The
certificate is issued once, centrally, and written to Vault; each namespace pulls its own copy.
Why this and not a clone controller: the seed homelab had both a module and a Kyverno clone
owning the same Secret and paid with weekly drift; an ExternalSecret is declared by the Stack,
recorded in its state, pruned with it, and nothing else writes the Secret (ESO owns its data).

One component per Stack: ``ingress`` calls ``tls(stack)``, which attaches the component only if
the Stack has none yet (Stack.render refuses duplicate addresses). At render time it looks at
the Stack's ingresses and emits one ExternalSecret per domain they use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from homestack.kit._arguments import checked
from homestack.kit._meta import metadata
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.kit.secrets import ESO_API, KV_STORE
from homestack.model import Capability, RenderContext, Resource, SecretRef, Stack

SOURCE_PATH = "secret/platform"
PUBLIC_SECRET = "wildcard-tls"
INTERNAL_SECRET = "wildcard-internal-tls"
_KEYS = {PUBLIC_SECRET: ("tls.crt", "tls.key"),
         INTERNAL_SECRET: ("internal-tls.crt", "internal-tls.key")}


def secret_for(host: str, internal_domain: str) -> str:
    """The wildcard Secret that covers ``host``."""
    internal = host == internal_domain or host.endswith(f".{internal_domain}")
    return INTERNAL_SECRET if internal else PUBLIC_SECRET


@dataclass
class WildcardTls:
    """The wildcard TLS copies of one namespace (at most one component per Stack)."""

    name: str = "wildcard-tls"
    requires: tuple[Capability, ...] = (Capability.EXTERNAL_SECRETS,)

    def render(self, context: RenderContext) -> Sequence[Resource]:
        needed: set[str] = set()
        for component in context.stack.components:
            secret = getattr(component, "wildcard_secret", None)
            name = secret(context) if callable(secret) else None
            if name is not None:
                needed.add(str(name))
        return [self._copy(context, name) for name in sorted(needed or {PUBLIC_SECRET})]

    def _copy(self, context: RenderContext, name: str) -> Resource:
        cert, key = _KEYS[name]
        refs = (SecretRef(path=SOURCE_PATH, key=cert), SecretRef(path=SOURCE_PATH, key=key))
        body = {
            "apiVersion": ESO_API,
            "kind": "ExternalSecret",
            "metadata": metadata(context.stack, name),
            "spec": {
                "refreshInterval": "1h",
                "secretStoreRef": {"kind": "ClusterSecretStore", "name": KV_STORE},
                "target": {"name": name, "creationPolicy": "Owner",
                           "template": {"type": "kubernetes.io/tls"}},
                "data": [
                    {"secretKey": "tls.crt",
                     "remoteRef": {"key": SOURCE_PATH, "property": cert}},
                    {"secretKey": "tls.key",
                     "remoteRef": {"key": SOURCE_PATH, "property": key}},
                ],
            },
        }
        return Resource.k8s(body, secret_refs=refs)


@strict
@checked
def tls(stack: Stack) -> WildcardTls:
    """Attach the namespace's wildcard TLS copy once; later calls return the same component.

    ``ingress`` calls it for you. Example: ``tls(stack)``
    """
    for component in stack.components:
        if isinstance(component, WildcardTls):
            return component
    component = WildcardTls()
    implied_namespace(stack)
    stack.add(component)
    return component
