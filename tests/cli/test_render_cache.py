"""The render cache as a user meets it: the second plan reuses the render, an edit is seen.

Each command is a real process on a copy of the small homelab with the GitOps target, with a
render cache of its own; ``--debug`` says whether the checked homelab came from the cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from homestack_testing.homelabs import copy_homelab


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> Path:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    return root


def _homestack(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "HOMESTACK_RENDER_CACHE"}
    full.update({"HOMESTACK_CACHE_DIR": str(root.parent / "cache"), **env})
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), "--debug", *args],
                          capture_output=True, text=True, timeout=120, env=full)


def _changes(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    plan = json.loads(done.stdout)
    return {c["address"]: c["action"] for s in plan["stacks"] for c in s["changes"]
            if c["action"] != "unchanged"}


def test_a_no_op_plan_reuses_the_render_and_an_edit_is_planned(lab: Path) -> None:
    assert _homestack(lab, "apply", "--yes").returncode == 0
    first = _homestack(lab, "plan", "--from-state", "--json")
    again = _homestack(lab, "plan", "--from-state", "--json")
    assert "render cache (offline): hit" in again.stderr, again.stderr
    assert first.stdout == again.stdout and _changes(again) == {}

    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text().replace("whoami:v1.10.3", "whoami:v1.11.0"))
    edited = _homestack(lab, "plan", "--from-state", "--json")
    assert f"miss, {stack.resolve()} changed" in edited.stderr, edited.stderr
    assert "rendered 1 Stack" in edited.stderr, edited.stderr  # whoami, the others reused
    assert _changes(edited) == {"k8s:apps/v1:Deployment:whoami/whoami": "update"}
    assert "render cache (offline): hit" in _homestack(lab, "plan", "--from-state").stderr


def test_plan_of_one_stack_renders_that_stack_and_names_the_others_left(lab: Path) -> None:
    assert _homestack(lab, "apply", "--yes").returncode == 0
    for name, old, new in (("whoami", "whoami:v1.10.3", "whoami:v1.11.0"),
                           ("notes", '"owner": user', '"owner": user.title()')):
        stack = lab / "stacks" / name / "stack.py"
        stack.write_text(stack.read_text().replace(old, new))
    one = _homestack(lab, "plan", "whoami", "--from-state", "--json")
    assert one.returncode == 0, one.stderr
    assert "rendered 1 Stack" in one.stderr and "not rendered again for this run: notes" in \
        " ".join(one.stderr.split()), one.stderr
    assert _changes(one) == {"k8s:apps/v1:Deployment:whoami/whoami": "update"}
    every = _homestack(lab, "plan", "--from-state", "--json")
    assert "miss, Stack notes changed" in every.stderr and "rendered 1 Stack" in every.stderr
    assert "not rendered again for this run" not in every.stderr
    assert set(_changes(every)) == {"k8s:apps/v1:Deployment:whoami/whoami",
                                    "k8s:v1:ConfigMap:notes/notes-alice",
                                    "k8s:v1:ConfigMap:notes/notes-bob"}


def test_a_broken_edit_is_invalid_input_every_time(lab: Path) -> None:
    assert _homestack(lab, "validate").returncode == 0
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text() + "\ndef broken(:\n")
    for _ in range(2):  # a failed render is never kept: the second run fails the same way
        done = _homestack(lab, "plan", "--from-state")
        assert done.returncode == 3 and "stacks/whoami/stack.py" in done.stderr


def test_off_means_every_run_renders(lab: Path) -> None:
    _homestack(lab, "plan", HOMESTACK_RENDER_CACHE="off")
    done = _homestack(lab, "plan", HOMESTACK_RENDER_CACHE="off")
    assert "miss, the render cache is off" in done.stderr
