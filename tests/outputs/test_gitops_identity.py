"""The GitOps repository commits under Homestack's identity unless the caller set one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from homestack.providers.gitops.repo import GitRepo

IDENTITY = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")


@pytest.fixture
def bare_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No identity anywhere: no variables, no global or system git configuration."""
    for name in IDENTITY:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def _author(path: Path) -> str:
    return subprocess.run(["git", "-C", str(path), "log", "-1", "--format=%an <%ae> / %cn"],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_commits_without_any_identity_use_homestacks(tmp_path: Path, bare_git: None) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.ensure()
    repo.write("a.yaml", "a: 1\n")
    assert repo.commit("first") is not None
    assert _author(repo.path) == "homestack <homestack@localhost> / homestack"


def test_an_identity_the_caller_set_is_kept(tmp_path: Path, bare_git: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada")
    repo = GitRepo(tmp_path / "repo")
    repo.ensure()
    repo.write("a.yaml", "a: 1\n")
    assert repo.commit("first") is not None
    assert _author(repo.path) == "Ada <homestack@localhost> / homestack"
