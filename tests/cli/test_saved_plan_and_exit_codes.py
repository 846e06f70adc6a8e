"""`plan -o FILE` then `apply FILE`, and the exit codes scripts rely on (0, 1, 2, 3).

Run as a real process on a copy of the small homelab with the GitOps target (no cluster).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from homestack_testing.homelabs import copy_homelab


def _homestack(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Wide enough that a table never folds an address.
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "250"})


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> Path:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    return root


def _git_head(root: Path) -> str:
    repo = root / ".homestack" / "gitops"
    if not (repo / ".git").exists():
        return ""
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                          text=True).stdout.strip()


def test_apply_of_a_saved_plan_applies_it(lab: Path, tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    assert _homestack(lab, "plan", "-o", str(saved)).returncode == 0
    done = _homestack(lab, "apply", str(saved), "--yes")
    assert done.returncode == 0, done.stderr
    assert _git_head(lab)
    assert _homestack(lab, "plan", "--detailed-exitcode").returncode == 0


def test_a_saved_plan_is_refused_after_a_stack_file_changed(lab: Path, tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    assert _homestack(lab, "apply", "--yes").returncode == 0
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text().replace('"32Mi"', '"48Mi"'))
    assert _homestack(lab, "plan", "-o", str(saved)).returncode == 0
    stack.write_text(stack.read_text().replace('"48Mi"', '"40Mi"'))
    head = _git_head(lab)
    done = _homestack(lab, "apply", str(saved), "--yes")
    assert done.returncode == 1
    assert "whoami" in done.stderr and "changed since the plan" in done.stderr
    assert _git_head(lab) == head


def test_no_changes_exit_0_and_pending_changes_exit_2_only_when_asked(lab: Path) -> None:
    assert _homestack(lab, "plan").returncode == 0
    assert _homestack(lab, "plan", "--detailed-exitcode").returncode == 2
    assert _homestack(lab, "apply", "--yes").returncode == 0
    assert _homestack(lab, "plan", "--detailed-exitcode").returncode == 0


@pytest.mark.parametrize("args", [("validate",), ("plan",), ("plan", "--detailed-exitcode")])
def test_a_broken_stack_file_exits_3(lab: Path, args: tuple[str, ...]) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text() + "\nthis is not python\n")
    done = _homestack(lab, *args)
    assert done.returncode == 3, done.stderr
    assert "stacks/whoami/stack.py" in done.stderr


def test_a_usage_error_exits_3(lab: Path) -> None:
    done = _homestack(lab, "plan", "--no-such-option")
    assert done.returncode == 3
    assert "--no-such-option" in done.stderr


def test_a_policy_error_exits_1(lab: Path) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"
    text = stack.read_text()
    assert "traefik/whoami:v1.10.3" in text
    stack.write_text(text.replace("traefik/whoami:v1.10.3", "traefik/whoami:latest"))
    done = _homestack(lab, "plan")
    assert done.returncode == 1
    assert "HS-IMAGE" in done.stderr


def _remove_whoami(lab: Path) -> None:
    import shutil

    shutil.rmtree(lab / "stacks" / "whoami")


def _gitops_files(lab: Path, word: str) -> list[Path]:
    repo = lab / ".homestack" / "gitops"
    return [p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts
            and word in p.read_text(errors="replace")]


def test_a_saved_plan_carries_the_permissions_it_was_made_with(lab: Path,
                                                               tmp_path: Path) -> None:
    assert _homestack(lab, "apply", "--yes").returncode == 0
    assert _gitops_files(lab, "whoami")
    _remove_whoami(lab)
    saved = tmp_path / "p.json"
    made = _homestack(lab, "plan", "--allow-prune", "--allow-data-loss", "-o", str(saved))
    assert made.returncode == 0, made.stderr
    assert "--allow-data-loss allowed deleting data holders" in made.stdout
    before = saved.read_bytes()
    done = _homestack(lab, "apply", str(saved), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert saved.read_bytes() == before  # apply never writes into the plan it executes
    assert not _gitops_files(lab, "name: whoami")
    again = _homestack(lab, "plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout


def test_a_saved_plan_made_without_permission_shows_the_block_and_applies_nothing(
        lab: Path, tmp_path: Path) -> None:
    assert _homestack(lab, "apply", "--yes").returncode == 0
    _remove_whoami(lab)
    saved = tmp_path / "p.json"
    made = _homestack(lab, "plan", "--allow-prune", "-o", str(saved))
    assert made.returncode == 1
    assert "blocked" in made.stdout and "--allow-data-loss" in made.stdout
    head = _git_head(lab)
    done = _homestack(lab, "apply", str(saved), "--yes")
    assert done.returncode == 1
    assert _git_head(lab) == head and _gitops_files(lab, "name: whoami")


def test_a_saved_plan_cannot_be_given_permissions_it_was_not_made_with(
        lab: Path, tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    assert _homestack(lab, "plan", "-o", str(saved)).returncode == 0
    head = _git_head(lab)
    done = _homestack(lab, "apply", str(saved), "--yes", "--allow-data-loss")
    assert done.returncode == 3
    assert "--allow-data-loss cannot change a saved plan" in done.stderr
    assert _git_head(lab) == head


def test_destroy_of_an_unknown_stack_exits_3_and_records_no_run(lab: Path) -> None:
    done = _homestack(lab, "destroy", "nosuchstack", "--yes")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "nosuchstack" in done.stderr
    history = _homestack(lab, "state", "history", "--json")
    assert "destroy" not in history.stdout


def test_destroy_of_a_stack_others_need_is_refused_naming_them(lab: Path) -> None:
    assert _homestack(lab, "apply", "--yes").returncode == 0
    done = _homestack(lab, "destroy", "traefik", "--yes")
    assert done.returncode == 3
    assert "notes needs traefik" in done.stderr and "whoami needs traefik" in done.stderr
    assert _gitops_files(lab, "name: traefik")


def test_destroy_shows_every_delete_before_it_asks(lab: Path) -> None:
    assert _homestack(lab, "apply", "--yes").returncode == 0
    head = _git_head(lab)
    done = _homestack(lab, "destroy", "whoami", "--allow-data-loss")  # no TTY: never asks
    assert done.returncode == 1 and "Pass --yes to destroy without asking" in done.stderr
    assert "Destroy plan" in done.stdout
    assert "k8s:v1:Namespace:whoami" in done.stdout
    assert "k8s:apps/v1:Deployment:whoami/whoami" in done.stdout
    assert _git_head(lab) == head


def test_a_missing_plan_file_is_named_as_one(lab: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    done = _homestack(lab, "apply", str(missing), "--yes")
    assert done.returncode == 3
    assert f"{missing}: no such saved plan file" in done.stderr
    assert "unknown Stack" not in done.stderr
