"""A saved plan file that was edited, or made for another homelab, is refused with exit 3
before anything is contacted; nothing is applied and nothing recorded.

Run as real processes on a copy of the small homelab with the GitOps target.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from homestack_testing.homelabs import copy_homelab


def _homestack(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "250"})


def _changes(data: dict[str, Any], stack: str) -> list[dict[str, Any]]:
    return next(s for s in data["stacks"] if s["stack"] == stack)["changes"]


def _first(data: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in data["stacks"] if s["changes"])


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.__setitem__(key, value)


def _on_first_change(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: _first(data)["changes"][0].__setitem__(key, value)


def _append_delete(address: str) -> Callable[[dict[str, Any]], None]:
    def twist(data: dict[str, Any]) -> None:
        changes = _first(data)["changes"]
        changes.append({**changes[0], "address": address, "action": "delete",
                        "content_hash": None})
    return twist


TAMPERINGS: dict[str, Callable[[dict[str, Any]], None]] = {
    "action set to delete": _on_first_change("action", "delete"),
    "action set to replace": _on_first_change("action", "replace"),
    "address changed": _on_first_change("address", "k8s:v1:Namespace:default"),
    "delete of kube-system appended": _append_delete("k8s:v1:Namespace:kube-system"),
    "delete of another Stack's object": _append_delete("k8s:v1:ConfigMap:other/settings"),
    "change dropped": lambda d: _first(d)["changes"].pop(0),
    "change duplicated": lambda d: _first(d)["changes"].append(_first(d)["changes"][0]),
    "changes reordered": lambda d: _first(d)["changes"].reverse(),
    "Stack dropped": lambda d: d["stacks"].pop(0),
    "Stacks reordered": lambda d: d["stacks"].reverse(),
    "allow_data_loss granted": lambda d: d["permissions"].__setitem__("allow_data_loss", True),
    "allow_empty granted": lambda d: d["permissions"].__setitem__("allow_empty", True),
    "allow_prune granted": lambda d: d["permissions"].__setitem__("allow_prune", True),
    "force_conflicts granted": lambda d: d["permissions"].__setitem__("force_conflicts", True),
    "mode set to destroy": _set("mode", "destroy"),
    "context changed": _set("context", "other"),
    "Site changed": _set("site", "otherlab"),
    "homelab id changed": _set("homelab", "0" * 32),
    "target identity changed": lambda d: d["identities"].__setitem__("k8s", "elsewhere"),
    "outcome changed": lambda d: _first(d).update(outcome="blocked", error="no"),
    "recorded revision moved": lambda d: _first(d).__setitem__("recorded_revision", 99),
    "content hash changed": _on_first_change("content_hash", "0" * 64),
    "seal removed": lambda d: d.pop("seal"),
    "seal replaced": _set("seal", "0" * 64),
    "key added": _set("approved", True),
}


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory, small_homelab_path: Path
            ) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("tamper") / "lab"
    copy_homelab(small_homelab_path, root)
    saved = root.parent / "plan.json"
    made = _homestack(root, "plan", "-o", str(saved))
    assert made.returncode == 0, made.stderr
    return root, json.loads(saved.read_text())


@pytest.fixture(scope="module")
def small_homelab_path() -> Path:
    from tests.conftest import SMALL_HOMELAB
    return SMALL_HOMELAB


def _head(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root / ".homestack" / "gitops"), "rev-parse",
                           "--verify", "-q", "HEAD"], capture_output=True, text=True).stdout


def _state(root: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(root / ".homestack" / "state.db") as db:
        return sorted(db.execute("SELECT * FROM runs").fetchall()) + \
            sorted(db.execute("SELECT stack, revision FROM stacks").fetchall())


def test_the_saved_plan_is_readable_by_its_owner_only(planned: tuple[Path, dict[str, Any]]
                                                     ) -> None:
    root, data = planned
    mode = (root.parent / "plan.json").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert data["site"] == "small" and data["homelab"] and data["identities"]["k8s"]


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_an_edited_plan_is_refused_before_anything_happens(
        planned: tuple[Path, dict[str, Any]], tmp_path: Path, name: str) -> None:
    root, data = planned
    twisted = json.loads(json.dumps(data))
    TAMPERINGS[name](twisted)
    assert twisted != data
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(twisted, indent=1))
    before = _state(root), _head(root)
    done = _homestack(root, "apply", str(path), "--yes")
    assert done.returncode == 3, done.stderr
    assert "modified" in done.stderr or "seal" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert (_state(root), _head(root)) == before


def test_a_plan_made_for_another_homelab_is_refused(planned: tuple[Path, dict[str, Any]],
                                                    tmp_path: Path,
                                                    small_homelab_path: Path) -> None:
    _, data = planned
    other = tmp_path / "other"
    copy_homelab(small_homelab_path, other)
    assert _homestack(other, "plan", "-o", str(tmp_path / "own.json")).returncode == 0
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    done = _homestack(other, "apply", str(path), "--yes")
    assert done.returncode == 3
    assert "modified" in done.stderr and "another homelab" in done.stderr
    assert _head(other) == ""


def test_a_plan_nested_beyond_reason_is_invalid_input(planned: tuple[Path, dict[str, Any]],
                                                      tmp_path: Path) -> None:
    root, _ = planned
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    done = _homestack(root, "apply", str(path), "--yes")
    assert done.returncode == 3
    assert "nested too deeply" in done.stderr and "Traceback" not in done.stderr
