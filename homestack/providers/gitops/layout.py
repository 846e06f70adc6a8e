"""The GitOps repository layout, computed purely: which file holds which bytes.

```
stacks/<stack>/<object>.yaml        one object per file (sorted keys, no volatile fields)
stacks/<stack>/kustomization.yaml   lists the Stack's files
flux/<stack>.yaml                   Flux Kustomization: path, dependsOn (the DAG), prune, wait
flux/kustomization.yaml             lists every Stack's Kustomization
```

When the Site delivers Helm releases through Flux, a Stack's folder holds each release's
``HelmRepository``/``OCIRepository`` and ``HelmRelease`` instead of the objects rendered from it.

With the Argo CD flavour, ``argocd/<stack>.yaml`` holds an ``Application`` whose sync wave is
the Stack's wave, instead of ``flux/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.graph import StackGraph
from homestack.model import GitopsFlavour, Resource, yamlio
from homestack.model.manifest import file_name, to_yaml
from homestack.model.volatile import without_volatile
from homestack.providers.gitops.helm import FluxRelease, flux_objects

STACKS_DIR = "stacks"
KUSTOMIZATION = "kustomization.yaml"
FLUX_NAMESPACE = "flux-system"
ARGO_NAMESPACE = "argocd"
SOURCE_NAME = "homestack"
MANAGED_DIRS = (STACKS_DIR, "flux", "argocd")
"""Top folders whose files Homestack writes; anything else in the repository is the user's."""


@dataclass(frozen=True)
class Layout:
    """Settings of the rendered repository."""

    flavour: GitopsFlavour
    graph: StackGraph
    repo_url: str = ""
    branch: str = "main"
    releases: Mapping[str, tuple[FluxRelease, ...]] = field(default_factory=dict)

    def flux_objects(self, stack: str) -> list[Resource]:
        """The Flux sources and HelmReleases of the Stack's releases Flux delivers."""
        return flux_objects(stack, self.graph, self.releases)

    @property
    def index_dir(self) -> str:
        """Folder of the per-Stack controller objects."""
        return "flux" if self.flavour is GitopsFlavour.FLUX else "argocd"

    def stack_dir(self, stack: str) -> str:
        """Folder of a Stack's objects."""
        return f"{STACKS_DIR}/{stack}"

    def object_path(self, stack: str, resource: Resource) -> str:
        """Path of one object's file."""
        return f"{self.stack_dir(stack)}/{file_name(resource)}"

    def controller_path(self, stack: str) -> str:
        """Path of the Stack's Flux Kustomization or Argo CD Application."""
        return f"{self.index_dir}/{stack}.yaml"

    def controller_object(self, stack: str) -> Resource:
        """The Stack's Flux Kustomization or Argo CD Application as a Resource."""
        if self.flavour is GitopsFlavour.FLUX:
            return Resource.k8s(flux_kustomization(stack, self.graph.needs.get(stack, ()),
                                                   self.stack_dir(stack)))
        wave = self.graph.wave_of(stack) if stack in self.graph.needs else 0
        return Resource.k8s(argo_application(stack, wave, self.stack_dir(stack),
                                             self.repo_url, self.branch))

    def stack_files(self, stack: str, resources: Sequence[Resource]) -> dict[str, str]:
        """Every file the Stack owns in the repository, path → text."""
        files = {self.object_path(stack, r): to_yaml(without_volatile(r.body)) for r in resources}
        if not files:
            return {}
        names = sorted(path.rpartition("/")[2] for path in files)
        files[f"{self.stack_dir(stack)}/{KUSTOMIZATION}"] = to_yaml(kustomization(names))
        files[self.controller_path(stack)] = to_yaml(self.controller_object(stack).body)
        return files

    def index_file(self, stacks: Sequence[str]) -> tuple[str, str]:
        """The controller folder's kustomization.yaml listing every Stack."""
        body = kustomization([f"{stack}.yaml" for stack in sorted(stacks)])
        return f"{self.index_dir}/{KUSTOMIZATION}", to_yaml(body)


def listed_files(
    folder: str, committed: str | None, changed: Mapping[str, bool]
) -> list[str]:
    """The files a folder's kustomization.yaml lists after this run: what its committed copy
    (``committed``, the text at HEAD) listed, plus the files this run wrote into ``folder``,
    minus those it removed (``changed``: path → written). Files Homestack did not write never
    join, whatever else lies in the folder."""
    names: set[str] = set()
    if committed:
        body = yamlio.load(committed)
        listed = body.get("resources") if isinstance(body, dict) else None
        names = {str(name) for name in listed or ()}
    for path, written in changed.items():
        parent, _, name = path.rpartition("/")
        if parent != folder or name == KUSTOMIZATION:
            continue
        if written:
            names.add(name)
        else:
            names.discard(name)
    return sorted(names)


def kustomization(resources: Sequence[str]) -> dict[str, Any]:
    """A kustomize Kustomization listing ``resources``."""
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "resources": list(resources)}


def flux_kustomization(stack: str, needs: Sequence[str], path: str) -> dict[str, Any]:
    """A Flux Kustomization that applies the Stack's folder after the Stacks it needs."""
    spec: dict[str, Any] = {
        "interval": "10m",
        "path": f"./{path}",
        "prune": True,
        "wait": True,
        "timeout": "5m",
        "sourceRef": {"kind": "GitRepository", "name": SOURCE_NAME},
    }
    if needs:
        spec["dependsOn"] = [{"name": need} for need in sorted(needs)]
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": stack, "namespace": FLUX_NAMESPACE},
        "spec": spec,
    }


def argo_application(
    stack: str, wave: int, path: str, repo_url: str, branch: str
) -> dict[str, Any]:
    """An Argo CD Application for the Stack's folder, ordered by its sync wave."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": stack,
            "namespace": ARGO_NAMESPACE,
            "annotations": {"argocd.argoproj.io/sync-wave": str(wave)},
        },
        "spec": {
            "project": "default",
            "source": {"repoURL": repo_url, "targetRevision": branch, "path": path},
            "destination": {"server": "https://kubernetes.default.svc"},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
        },
    }
