"""The ``gitops`` target: Kubernetes objects become files in a Git repository, one commit a run.

Plans compare the desired files with HEAD; applies write the work tree; ``finish`` commits once
with a message listing the Stacks changed. Secret objects with values are refused: only
ExternalSecrets and references may reach the repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from homestack.engine.errors import ApplyError
from homestack.model import Provider, Resource, yamlio
from homestack.model.changeset import Action, Change, ChangeSet, Recorder, StackOutcome
from homestack.model.diff import unified
from homestack.model.volatile import without_volatile
from homestack.outputs.gitops.layout import KUSTOMIZATION, Layout, kustomization, listed_files
from homestack.outputs.gitops.repo import GitRepo
from homestack.outputs.manifest import to_yaml
from homestack.state import StackRecord


class GitopsTarget:
    """Writes and commits the GitOps repository."""

    name = "gitops"

    def __init__(self, repo: GitRepo, layout: Layout) -> None:
        self.repo = repo
        self.layout = layout
        self._head: dict[str, str] | None = None

    def handles(self, resource: Resource) -> bool:
        return resource.provider is Provider.K8S

    def _committed(self) -> dict[str, str]:
        if self._head is None:
            self._head = self.repo.committed_files()
        return self._head

    def _owned(self, stack: str) -> dict[str, str]:
        prefix = self.layout.stack_dir(stack) + "/"
        controller = self.layout.controller_path(stack)
        return {p: t for p, t in self._committed().items()
                if p.startswith(prefix) or p == controller}

    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        *, confirm: bool = True,
    ) -> list[Change]:
        current = self._owned(stack)
        wanted = self.layout.stack_files(stack, desired)
        placed = [(r, self.layout.object_path(stack, r)) for r in desired]
        if desired:
            placed.append((self.layout.controller_object(stack),
                           self.layout.controller_path(stack)))
        changes = []
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
            changes.append(Change(stack, resource.address, action, diff, resource=resource,
                                  location=path))
        for path, text in sorted(current.items()):
            if path in wanted or path.endswith("/" + KUSTOMIZATION):
                continue
            body = yamlio.load(text)
            address = Resource.k8s(body).address if isinstance(body, dict) else path
            changes.append(Change(stack, address, Action.DELETE, unified(address, body, None),
                                  location=path))
        return changes

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        for change in changes:
            if change.resource is not None and _holds_secret_values(change.resource):
                raise ApplyError(
                    "a Secret with values cannot go to the GitOps repository",
                    subject=change.address,
                    hint="Declare an ExternalSecret (kit.external_secret) instead",
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
        names = listed_files(self.layout.stack_dir(stack), self._committed().get(path),
                             self.repo.changed)
        if names:
            self.repo.write(path, to_yaml(kustomization(names)))
        else:
            self.repo.remove(path)
            self.repo.remove(self.layout.controller_path(stack))

    def forget(self) -> None:
        self._head = None

    def finish(self, changeset: ChangeSet) -> str | None:
        applied = [s.stack for s in changeset.stacks if s.outcome is StackOutcome.APPLIED]
        if not applied:
            return self.repo.head()
        index = self.layout.index_file([])[0]
        listed = listed_files(self.layout.index_dir, self._committed().get(index),
                              self.repo.changed)
        present = [name.removesuffix(".yaml") for name in listed]
        path, text = self.layout.index_file(present)
        if present:
            self.repo.write(path, text)
        else:
            self.repo.remove(path)
        message = f"homestack: apply {', '.join(applied)}\n\n{changeset.summary()}\n"
        commit = self.repo.commit(message)
        self._head = None
        return commit or self.repo.head()


def _holds_secret_values(resource: Resource) -> bool:
    body = resource.body
    return body.get("kind") == "Secret" and bool(body.get("data") or body.get("stringData"))


def open_gitops(root: Path, path: str, layout: Layout, branch: str = "main") -> GitopsTarget:
    """The GitOps target for a repository at ``path`` (relative to the homelab ``root``)."""
    repo = GitRepo(root / path, branch)
    repo.ensure()
    return GitopsTarget(repo, layout)
