"""plan --changed-since REV: content hashes find the Stacks a change touched, and dependents."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab


def _repo(small_homelab: Path, tmp_path: Path) -> Path:
    lab = tmp_path / "repo" / "homelab"
    copy_homelab(small_homelab, lab)
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(tmp_path / "repo"), *args], check=True)
    return lab


def _planned(lab: Path, revision: str) -> list[str]:
    result = CliRunner().invoke(app, ["-C", str(lab), "plan", "--changed-since", revision,
                                      "--json"])
    assert result.exit_code == 0, result.output
    if not result.stdout.strip().startswith("{"):
        return []
    return [s["stack"] for s in json.loads(result.stdout)["stacks"]]


def test_nothing_changed_plans_nothing(small_homelab: Path, tmp_path: Path) -> None:
    lab = _repo(small_homelab, tmp_path)
    assert _planned(lab, "HEAD") == []


def test_an_edited_stack_is_planned_alone(small_homelab: Path, tmp_path: Path) -> None:
    lab = _repo(small_homelab, tmp_path)
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text().replace('"replicas": 1', '"replicas": 2'))
    assert _planned(lab, "HEAD") == ["whoami"]


def test_a_changed_data_file_reaches_the_stack_and_its_dependents(
    small_homelab: Path, tmp_path: Path
) -> None:
    lab = _repo(small_homelab, tmp_path)
    settings = lab / "stacks" / "platform" / "settings.yaml"
    settings.write_text(settings.read_text().replace("home.arpa", "lan.arpa"))
    assert sorted(_planned(lab, "HEAD")) == ["notes", "platform", "traefik", "whoami"]


def test_unknown_revision_is_invalid_input(small_homelab: Path, tmp_path: Path) -> None:
    lab = _repo(small_homelab, tmp_path)
    result = CliRunner().invoke(app, ["-C", str(lab), "plan", "--changed-since", "nope"])
    assert result.exit_code == 3
    assert "--changed-since needs" in result.output
