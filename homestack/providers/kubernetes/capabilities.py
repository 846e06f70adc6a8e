"""Read a cluster's ``.Capabilities`` for Helm charts from its discovery documents.

As Helm does: ``/version`` for the version, then every served group version (``/api``,
``/apis``) and the kinds each serves. One set of GETs per run; nothing is kept.
"""

from __future__ import annotations

from typing import Any

import httpx2
from lightkube.config.client_adapter import Client as HttpClient
from lightkube.config.client_adapter import ConnectionParams

from homestack.catalog.capabilities import Capabilities
from homestack.providers.errors import ProviderError, TransientError
from homestack.providers.kubernetes.kubeconfig import load_config


def read_capabilities(kubeconfig: str | None = None, context: str | None = None
                      ) -> Capabilities:
    """The version and API versions the cluster of ``context`` serves."""
    config = load_config(kubeconfig, context)
    try:
        with HttpClient(config, ConnectionParams()) as http:
            version = str(_get(http, "/version").get("gitVersion", ""))
            served = [f"v{v.removeprefix('v')}" for v in _get(http, "/api").get("versions", [])]
            for group in _get(http, "/apis").get("groups", []):
                served += [str(v["groupVersion"]) for v in group.get("versions", [])]
            found = set(served)
            for group_version in served:
                path = f"/api/{group_version}" if "/" not in group_version \
                    else f"/apis/{group_version}"
                for resource in _get(http, path).get("resources", []):
                    if "/" not in str(resource.get("name", "")):  # subresources aside
                        found.add(f"{group_version}/{resource['kind']}")
    except (httpx2.TransportError, httpx2.TimeoutException) as error:
        raise TransientError(f"cannot read the cluster's API versions ({error})",
                               subject="k8s:discovery",
                               hint="Check the cluster is reachable") from error
    return Capabilities(kube_version=version, api_versions=tuple(sorted(found)))


def _get(http: Any, path: str) -> dict[str, Any]:
    response = http.get(path)
    if response.status_code != 200:
        raise ProviderError(f"discovery {path} answered {response.status_code}",
                            subject="k8s:discovery")
    return dict(response.json())
