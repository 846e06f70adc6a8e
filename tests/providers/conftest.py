"""The loopback Kubernetes API server and a kube target pointed at it."""

from __future__ import annotations

from homestack_testing.pytest_plugin import kubeapi, kubeapi_factory

__all__ = ["kubeapi", "kubeapi_factory"]
