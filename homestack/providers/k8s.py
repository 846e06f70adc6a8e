"""Opening the Kubernetes target of a run: ``kube`` (the cluster) or ``gitops`` (a repository
Flux or Argo CD applies)."""

from __future__ import annotations

from typing import Any

from homestack.providers.registry import OpenRequest


def open_target(request: OpenRequest) -> Any:
    """The ``gitops`` target, or the ``kube`` target for the Site's cluster."""
    site = request.homelab.site
    if request.kube_target == "gitops":
        from homestack.providers.gitops import Layout, open_gitops
        from homestack.providers.gitops.helm import flux_releases

        layout = Layout(flavour=site.gitops.flavour, graph=request.graph,
                        repo_url=site.gitops.remote or "", branch=site.gitops.branch,
                        releases=flux_releases(request.homelab))
        return open_gitops(request.homelab.root, site.gitops.path, layout, site.gitops.branch,
                           read_only=request.read_only)
    from homestack.providers.kubernetes import KubeOptions, open_kube  # lightkube only here

    cluster = site.cluster
    return open_kube(
        kubeconfig=cluster.kubeconfig if cluster else None,
        context=request.context or (cluster.context if cluster else None),
        options=KubeOptions(force_conflicts=request.force_conflicts, adopt=request.adopt,
                            remove_helm_history=request.remove_helm_history),
        homelab=request.all_resources(),
        owners={r.address: name for name, rs in request.resources.items() for r in rs},
        site=site.name,
    )
