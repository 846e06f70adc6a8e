"""Helm releases delivered by Flux: a HelmRepository (or OCIRepository) and a HelmRelease.

With ``Site(charts=ChartSettings(delivery=ReleaseDelivery.FLUX))`` the gitops target writes,
for each Helm release, the Flux objects that install it in the cluster (pinned chart version,
inline values, ``dependsOn`` the releases of the Stacks it needs) instead of the objects
Homestack rendered from the chart. The plan still renders the chart locally, so policy rules
check exactly what Flux will install.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.catalog import Homelab
from homestack.catalog.helm import release_values, releases
from homestack.graph import StackGraph
from homestack.kit.helm import RELEASE
from homestack.model import ReleaseDelivery, Resource

HELM_API = "helm.toolkit.fluxcd.io/v2"
SOURCE_API = "source.toolkit.fluxcd.io/v1"
HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"


@dataclass(frozen=True)
class FluxRelease:
    """What Flux needs to install one release."""

    name: str
    namespace: str
    chart: str
    repo: str
    version: str
    crds: str
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def oci(self) -> bool:
        """True when the chart comes from an OCI registry."""
        return self.repo.startswith("oci://")


def flux_releases(homelab: Homelab) -> dict[str, tuple[FluxRelease, ...]]:
    """Every Stack's releases to deliver through Flux (empty unless the Site asks for it)."""
    charts = homelab.site.charts
    if charts is None or charts.delivery is not ReleaseDelivery.FLUX:
        return {}
    found: dict[str, tuple[FluxRelease, ...]] = {}
    for name, stack in homelab.stacks.items():
        declared = releases(stack)
        if declared:
            found[name] = tuple(FluxRelease(
                name=r.name, namespace=r.release_namespace(stack), chart=r.chart,
                repo=(charts.mirror or r.repo).rstrip("/"), version=r.version, crds=r.crds,
                values=release_values(homelab, stack, r)) for r in declared)
    return found


def delivered(resource: Resource, flux: Sequence[FluxRelease]) -> bool:
    """True when ``resource`` was rendered from a release that Flux installs instead."""
    annotations = (resource.body.get("metadata") or {}).get("annotations") or {}
    return annotations.get(RELEASE) in {r.name for r in flux}


def flux_objects(stack: str, graph: StackGraph,
                 by_stack: Mapping[str, Sequence[FluxRelease]]) -> list[Resource]:
    """The source and HelmRelease of each release of ``stack``."""
    needed = [r for need in sorted(graph.needs.get(stack, ())) for r in by_stack.get(need, ())]
    objects = []
    for release in by_stack.get(stack, ()):
        objects.append(Resource.k8s(_source(release)))
        objects.append(Resource.k8s(_helm_release(release, needed)))
    return objects


def _source(release: FluxRelease) -> dict[str, Any]:
    metadata = {"name": release.name, "namespace": release.namespace}
    if release.oci:
        url = release.repo if release.repo.endswith(f"/{release.chart}") \
            else f"{release.repo}/{release.chart}"
        return {"apiVersion": SOURCE_API, "kind": "OCIRepository", "metadata": metadata,
                "spec": {"interval": "1h", "url": url, "ref": {"tag": release.version},
                         "layerSelector": {"mediaType": HELM_LAYER, "operation": "copy"}}}
    return {"apiVersion": SOURCE_API, "kind": "HelmRepository", "metadata": metadata,
            "spec": {"interval": "1h", "url": release.repo}}


def _helm_release(release: FluxRelease, needed: Sequence[FluxRelease]) -> dict[str, Any]:
    crds = "CreateReplace" if release.crds == "install" else "Skip"
    spec: dict[str, Any] = {
        "interval": "10m",
        "releaseName": release.name,
        "install": {"crds": crds, "remediation": {"retries": 3}},
        "upgrade": {"crds": crds, "remediation": {"retries": 3}},
    }
    if release.oci:
        spec["chartRef"] = {"kind": "OCIRepository", "name": release.name}
    else:
        spec["chart"] = {"spec": {"chart": release.chart, "version": release.version,
                                  "sourceRef": {"kind": "HelmRepository",
                                                "name": release.name}}}
    if release.values:
        spec["values"] = dict(release.values)
    if needed:
        spec["dependsOn"] = [{"name": r.name, "namespace": r.namespace}
                             for r in sorted(needed, key=lambda r: (r.namespace, r.name))]
    return {"apiVersion": HELM_API, "kind": "HelmRelease",
            "metadata": {"name": release.name, "namespace": release.namespace},
            "spec": spec}
