"""Addresses: the one subject format of plans, state, logs and errors, as a typed value.

Text forms (``str(address)``), parsed here and nowhere else:

- ``k8s:apps/v1:Deployment:immich/server`` (namespaced) or ``k8s:v1:Namespace:immich``
- ``dns:cloudflare:A:immich.example.org``: for other providers the kind may carry a family
  (``cloudflare:A``, ``database:static-role``) and the name follows the last colon.
- ``vault:kv:secret/immich``, ``pve:vm:201``
"""

from __future__ import annotations

from dataclasses import dataclass

from homestack.model.errors import ModelError

K8S = "k8s"


@dataclass(frozen=True, order=True)
class Address:
    """Where one Resource lives: provider, API version (Kubernetes only), kind, namespace, name.

    Example: ``Address.parse("k8s:apps/v1:Deployment:immich/server").namespace == "immich"``.
    """

    provider: str
    kind: str
    name: str
    api_version: str = ""
    namespace: str = ""

    def __str__(self) -> str:
        if self.provider == K8S:
            scoped = f"{self.namespace}/{self.name}" if self.namespace else self.name
            return f"{K8S}:{self.api_version}:{self.kind}:{scoped}"
        return f"{self.provider}:{self.kind}:{self.name}"

    @property
    def group(self) -> str:
        """The API group of a Kubernetes kind ("" for the core group)."""
        return self.api_version.rpartition("/")[0]

    @property
    def group_kind(self) -> str:
        """``postgresql.cnpg.io/Database`` or ``Namespace``: the kind qualified by its group."""
        return f"{self.group}/{self.kind}" if self.group else self.kind

    @classmethod
    def k8s(cls, api_version: str, kind: str, name: str, namespace: str | None = None
            ) -> Address:
        """The address of a Kubernetes object."""
        return cls(K8S, kind, name, api_version, namespace or "")

    @classmethod
    def parse(cls, text: str) -> Address:
        """Parse the text form; ``ModelError`` names the text when it has no provider or kind."""
        provider, _, rest = text.partition(":")
        if provider == K8S:
            api_version, _, rest = rest.partition(":")
            kind, _, scoped = rest.partition(":")
            namespace, _, name = scoped.rpartition("/")
            if api_version and kind and name:
                return cls(K8S, kind, name, api_version, namespace)
        else:
            kind, _, name = rest.rpartition(":")
            if provider and kind and name:
                return cls(provider, kind, name)
        raise ModelError(
            f"not a Resource address: {text!r}",
            hint="Addresses read k8s:<apiVersion>:<Kind>:[<namespace>/]<name> or "
                 "<provider>:<kind>:<name>",
        )
