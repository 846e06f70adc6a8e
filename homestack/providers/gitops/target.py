"""The ``gitops`` target: Kubernetes objects become files in a Git repository, one commit a run.

Plans compare the desired files with HEAD; applies write the work tree; ``finish`` commits once
with a message listing the Stacks changed. Secret objects with values are refused: only
ExternalSecrets and references may reach the repository.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from homestack.model import Provider, Resource, yamlio
from homestack.model.changeset import Action, Change, ChangeSet, Recorder, StackOutcome
from homestack.model.diff import unified
from homestack.model.manifest import to_yaml
from homestack.model.volatile import without_volatile
from homestack.providers.errors import ProviderError
from homestack.providers.gitops.helm import delivered
from homestack.providers.gitops.layout import (
    KUSTOMIZATION,
    Layout,
    kustomization,
    listed_files,
)
from homestack.providers.gitops.repo import GitRepo
from homestack.providers.kubernetes.generated import generated_keys
from homestack.state import StackRecord


class GitopsTarget:
    """Writes and commits the GitOps repository; observes the files committed at HEAD."""

    name = "gitops"

    def __init__(self, repo: GitRepo, layout: Layout, *, work_tree: bool = False) -> None:
        self.work_tree = work_tree
        self.repo = repo
        self.layout = layout

    def identity(self) -> str:
        return f"{self.repo.path.resolve()} branch={self.repo.branch}"

    def handles(self, resource: Resource) -> bool:
        return resource.provider is Provider.K8S

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        """The Stack's Flux Kustomization or Argo CD Application while it has objects, and
        the Flux objects of the Helm releases Flux delivers."""
        if not handled:
            return []
        return [self.layout.controller_object(stack), *self.layout.flux_objects(stack)]

    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]
                ) -> Mapping[str, str]:
        """The files committed at HEAD, path → text; with ``work_tree``, the uncommitted hand
        edits of Homestack's files over them (a file deleted by hand is absent)."""
        files = self.repo.committed_files()
        if self.work_tree:
            for path, text in self.repo.hand_edits().items():
                if text is None:
                    files.pop(path, None)
                else:
                    files[path] = text
        return MappingProxyType(files)

    def _owned(self, stack: str, committed: Mapping[str, str]) -> dict[str, str]:
        prefix = self.layout.stack_dir(stack) + "/"
        controller = self.layout.controller_path(stack)
        return {p: t for p, t in committed.items() if p.startswith(prefix) or p == controller}

    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        seen: Mapping[str, str], *, confirm: bool = True,
    ) -> list[Change]:
        current = self._owned(stack, seen)
        controller = self.layout.controller_object(stack)
        own = [r for r in desired if r.address != controller.address]
        flux = self.layout.releases.get(stack, ())
        handed = [r for r in own if delivered(r, flux)]  # Flux renders these in-cluster
        own = [r for r in own if r not in handed]
        wanted = self.layout.stack_files(stack, own)
        placed = [(r, self.layout.object_path(stack, r)) for r in own]
        if own:
            placed.append((controller, self.layout.controller_path(stack)))
        changes = [Change(stack, r.typed_address, Action.UNCHANGED, resource=r,
                          location=self.layout.controller_path(stack)) for r in handed]
        for resource, path in placed:
            text = wanted[path]
            before = current.get(path)
            if before is None:
                action, diff = Action.CREATE, unified(resource.address, None, resource.body)
            elif before != text:
                action = Action.UPDATE
                diff = unified(resource.address, yamlio.load(before), resource.body)
            else:
                action, diff = Action.UNCHANGED, ""
            changes.append(Change(stack, resource.typed_address, action, diff,
                                  resource=resource, location=path))
        for path, text in sorted(current.items()):
            if path in wanted or path.endswith("/" + KUSTOMIZATION):
                continue
            body = yamlio.load(text)
            if not isinstance(body, dict):
                continue  # not an object this target wrote: never delete what it cannot name
            address = Resource.k8s(body).typed_address
            changes.append(Change(stack, address, Action.DELETE,
                                  unified(str(address), body, None), location=path))
        return changes

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        for change in changes:
            if change.resource is not None and change.resource.holds_secret_values:
                raise ProviderError(
                    "a Secret with values cannot go to the GitOps repository",
                    subject=str(change.address),
                    hint="Declare an ExternalSecret (kit.external_secret) instead",
                )
            if change.resource is not None and generated_keys(change.resource)[0]:
                raise ProviderError(
                    "a cluster_secret gets its values in the cluster, and a GitOps "
                    "repository can only hold the values themselves", subject=str(change.address),
                    hint="Use generated_secret (Vault) with an ExternalSecret, or apply this "
                         "Stack with the kube target",
                )
        for change in changes:
            recorder.intent(change)
            if change.action is Action.DELETE or change.resource is None:
                self.repo.remove(change.location)
            else:
                self.repo.write(change.location, to_yaml(without_volatile(change.resource.body)))
            recorder.done(change, None)
        self._sync_kustomization(stack)

    def _sync_kustomization(self, stack: str) -> None:
        """Rewrite the Stack's kustomization.yaml from the files now in its folder."""
        path = f"{self.layout.stack_dir(stack)}/{KUSTOMIZATION}"
        names = listed_files(self.layout.stack_dir(stack), self.repo.committed_text(path),
                             self.repo.changed)
        if names:
            self.repo.write(path, to_yaml(kustomization(names)))
        else:
            self.repo.remove(path)
            self.repo.remove(self.layout.controller_path(stack))

    def finish(self, changeset: ChangeSet) -> str | None:
        applied = [s.stack for s in changeset.stacks if s.outcome is StackOutcome.APPLIED]
        if not applied:
            return self.repo.head()
        index = self.layout.index_file([])[0]
        listed = listed_files(self.layout.index_dir, self.repo.committed_text(index),
                              self.repo.changed)
        present = [name.removesuffix(".yaml") for name in listed]
        path, text = self.layout.index_file(present)
        if present:
            self.repo.write(path, text)
        else:
            self.repo.remove(path)
        message = f"homestack: apply {', '.join(applied)}\n\n{changeset.summary()}\n"
        commit = self.repo.commit(message)
        return commit or self.repo.head()

    def close(self) -> None:
        """Nothing to release: every call runs git afresh."""


def open_gitops(root: Path, path: str, layout: Layout, branch: str = "main", *,
                read_only: bool = False) -> GitopsTarget:
    """The GitOps target for a repository at ``path`` (relative to the homelab ``root``).

    ``read_only`` (plan, drift) observes the work tree as it is: a hand edit not committed
    yet is drift like a committed one, where a run that writes refuses to overwrite it.
    """
    repo = GitRepo(root / path, branch)
    repo.ensure(read_only=read_only)
    return GitopsTarget(repo, layout, work_tree=read_only)
