"""The Kubernetes provider: the ``kube`` target over lightkube."""

from __future__ import annotations

from lightkube import Client

from homestack.model.annotations import FIELD_MANAGER
from homestack.providers.kubernetes.kubeconfig import load_config
from homestack.providers.kubernetes.target import KubeOptions, KubeTarget

__all__ = ["KubeOptions", "KubeTarget", "open_kube"]


def open_kube(kubeconfig: str | None = None, context: str | None = None,
              options: KubeOptions | None = None) -> KubeTarget:
    """The kube target for ``context`` of the kubeconfig kubectl would use."""
    config = load_config(kubeconfig, context)
    return KubeTarget(Client(config=config, field_manager=FIELD_MANAGER), options)
