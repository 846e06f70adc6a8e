"""A writable copy of the small homelab and helpers to run the GitOps target on it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import ChangeSet, EngineOptions, desired, plan, plan_and_apply
from homestack.model import GitopsFlavour, Provider
from homestack.providers.gitops import Layout, open_gitops
from homestack.state import SqliteStore
from homestack_testing.homelabs import copy_homelab


class Lab:
    """A homelab copy under a temp dir with its state and GitOps repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = root / ".homestack" / "gitops"
        self.flavour = GitopsFlavour.FLUX

    def _run(self, verb: str, options: EngineOptions | None = None) -> ChangeSet:
        wanted = desired(load(self.root))
        layout = Layout(flavour=self.flavour, graph=wanted.graph)
        target = open_gitops(self.root, ".homestack/gitops", layout)
        store = SqliteStore(self.root / ".homestack" / "state.db")
        try:
            run = plan_and_apply if verb == "apply" else plan
            return run(wanted, {Provider.K8S: target}, store,
                       options or EngineOptions(parallelism=2))
        finally:
            store.close()

    def apply(self, options: EngineOptions | None = None) -> ChangeSet:
        return self._run("apply", options)

    def plan(self) -> ChangeSet:
        return self._run("plan")

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.repo), *args], capture_output=True,
                              text=True, check=True).stdout

    def commits(self) -> list[str]:
        return self.git("log", "--format=%H").split()

    def stack_file(self, name: str) -> Path:
        return self.root / "stacks" / name / "stack.py"


@pytest.fixture
def lab(tmp_path: Path, small_homelab: Path) -> Iterator[Lab]:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    yield Lab(root)
