"""The GitOps target: a Flux or Argo CD repository rendered and committed."""

from homestack.outputs.gitops.layout import Layout, argo_application, flux_kustomization
from homestack.outputs.gitops.repo import GitRepo
from homestack.outputs.gitops.target import GitopsTarget, open_gitops

__all__ = ["GitRepo", "GitopsTarget", "Layout", "argo_application", "flux_kustomization",
           "open_gitops"]
