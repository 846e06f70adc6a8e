"""A homelab cannot vanish: a ``stacks/`` folder that is not a folder, points nowhere, is gone
or empty while state holds Stacks is invalid input (exit 3, naming it) and nothing is pruned;
the render cache sees the folder come back.

Real processes on a copy of the small homelab with the GitOps target, render cache on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from homestack_testing.homelabs import copy_homelab


def _homestack(root: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1", "HOMESTACK_RENDER_CACHE": "on",
           "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=180, env=env)


def _head(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root / ".homestack" / "gitops"), "rev-parse",
                           "HEAD"], capture_output=True, text=True).stdout.strip()


def _as_file(stacks: Path) -> None:
    shutil.rmtree(stacks)
    stacks.write_text("")


def _dangling(stacks: Path) -> None:
    shutil.rmtree(stacks)
    stacks.symlink_to(stacks.parent / "unmounted-share")


def _gone(stacks: Path) -> None:
    shutil.rmtree(stacks)


def _emptied(stacks: Path) -> None:
    shutil.rmtree(stacks)
    stacks.mkdir()


@pytest.fixture
def applied(small_homelab: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    cache = tmp_path / "cache"
    done = _homestack(root, cache, "apply", "--yes")
    assert done.returncode == 0, done.stderr
    keep = tmp_path / "stacks.kept"
    shutil.copytree(root / "stacks", keep)
    return root, cache, keep


@pytest.mark.parametrize(("damage", "words"), [
    (_as_file, "cannot list the Stack folders (it is not a folder)"),
    (_dangling, "is a symlink to"),
])
def test_a_stacks_path_that_is_no_folder_is_invalid_input_for_every_command(
        applied: tuple[Path, Path, Path], damage: Callable[[Path], None], words: str) -> None:
    root, cache, _ = applied
    head = _head(root)
    damage(root / "stacks")
    for args in (("validate",), ("plan",),
                 ("apply", "--yes", "--allow-prune", "--allow-data-loss")):
        done = _homestack(root, cache, *args)
        assert done.returncode == 3, (args, done.stderr)
        assert "stacks" in done.stderr and words in done.stderr
        assert "Traceback" not in done.stderr
    assert _head(root) == head


@pytest.mark.parametrize("damage", [_gone, _emptied])
def test_no_stack_while_state_holds_some_prunes_nothing(applied: tuple[Path, Path, Path],
                                                        damage: Callable[[Path], None]) -> None:
    root, cache, _ = applied
    head = _head(root)
    damage(root / "stacks")
    for args in (("plan",), ("apply", "--yes", "--allow-data-loss"), ("drift",)):
        done = _homestack(root, cache, *args)
        assert done.returncode == 3, (args, done.stdout, done.stderr)
        assert "declares no Stack" in done.stderr and "state holds 4" in done.stderr
    assert _head(root) == head


def test_the_render_cache_sees_the_folder_come_back(applied: tuple[Path, Path, Path]) -> None:
    root, cache, keep = applied
    stacks = root / "stacks"
    shutil.rmtree(stacks)
    assert "valid: 0 Stacks" in _homestack(root, cache, "validate").stdout
    shutil.copytree(keep, stacks)
    assert "valid: 4 Stacks" in _homestack(root, cache, "validate").stdout
    _as_file(stacks)
    assert _homestack(root, cache, "validate").returncode == 3
    stacks.unlink()
    shutil.copytree(keep, stacks)
    assert "valid: 4 Stacks" in _homestack(root, cache, "validate").stdout


def test_another_folder_linked_in_place_is_read(applied: tuple[Path, Path, Path],
                                                           tmp_path: Path) -> None:
    root, cache, keep = applied
    stacks = root / "stacks"
    assert "valid: 4 Stacks" in _homestack(root, cache, "validate").stdout
    other = tmp_path / "other-stacks"
    shutil.copytree(keep, other)
    shutil.rmtree(other / "notes")
    shutil.rmtree(stacks)
    stacks.symlink_to(other)
    assert "valid: 3 Stacks" in _homestack(root, cache, "validate").stdout
