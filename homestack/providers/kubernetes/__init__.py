"""The Kubernetes provider: the ``kube`` target over lightkube."""

from __future__ import annotations

from collections.abc import Iterable

from lightkube import Client

from homestack.model import Resource
from homestack.model.annotations import FIELD_MANAGER
from homestack.providers.kubernetes.kinds import KindMap
from homestack.providers.kubernetes.kubeconfig import load_config
from homestack.providers.kubernetes.target import KubeOptions, KubeTarget

__all__ = ["KindMap", "KubeOptions", "KubeTarget", "open_kube"]


def open_kube(kubeconfig: str | None = None, context: str | None = None,
              options: KubeOptions | None = None, *,
              homelab: Iterable[Resource] = ()) -> KubeTarget:
    """The kube target for ``context`` of the kubeconfig kubectl would use.

    ``homelab`` are the homelab's Resources: the custom kinds its CRDs declare are known
    before they are applied.
    """
    config = load_config(kubeconfig, context)
    kinds = KindMap(r.body for r in homelab
                    if r.body.get("kind") == "CustomResourceDefinition")
    return KubeTarget(Client(config=config, field_manager=FIELD_MANAGER), kinds, options)
