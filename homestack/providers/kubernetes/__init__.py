"""The Kubernetes provider: the ``kube`` target over lightkube."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lightkube import Client

from homestack.model import Resource
from homestack.model.annotations import FIELD_MANAGER
from homestack.providers.kubernetes.kinds import KindMap
from homestack.providers.kubernetes.kubeconfig import load_config
from homestack.providers.kubernetes.target import KubeOptions, KubeTarget

__all__ = ["KindMap", "KubeOptions", "KubeTarget", "open_kube"]


def open_kube(kubeconfig: str | None = None, context: str | None = None,
              options: KubeOptions | None = None, *,
              homelab: Iterable[Resource] = (),
              owners: Mapping[str, str] | None = None, site: str = "") -> KubeTarget:
    """The kube target for ``context`` of the kubeconfig kubectl would use.

    ``homelab`` are the homelab's Resources: the custom kinds its CRDs declare are known
    before they are applied. ``owners`` maps each address the homelab declares to its Stack:
    an object one Stack gives up that another declares moves instead of being deleted.
    """
    config = load_config(kubeconfig, context)
    resources = list(homelab)
    kinds = KindMap(r.body for r in resources
                    if r.body.get("kind") == "CustomResourceDefinition")
    return KubeTarget(Client(config=config, field_manager=FIELD_MANAGER), kinds, options,
                      claimed=owners, server=config.cluster.server, site=site)
