"""The GitOps target: a Flux or Argo CD repository rendered and committed."""

from homestack.providers.gitops.layout import Layout, argo_application, flux_kustomization
from homestack.providers.gitops.repo import GitRepo
from homestack.providers.gitops.target import GitopsTarget, open_gitops

__all__ = ["GitRepo", "GitopsTarget", "Layout", "argo_application", "flux_kustomization",
           "open_gitops"]
