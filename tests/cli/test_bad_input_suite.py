"""Every bad input of the catalogue (``bad_inputs``) is invalid input: exit 3, one message
naming the file and line or the field, no traceback; a sample also through ``apply`` in a
real process, which writes nothing (no state, no commit, no run)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app

from .bad_inputs import CASES, CLI_CASES, HEAD, SITE, Bad


def _homelab(root: Path, case: Bad) -> Path:
    stack = root / "stacks" / "web"
    stack.mkdir(parents=True)
    (root / "site.py").write_text(SITE + case.site)
    (stack / "stack.py").write_text(HEAD + case.stack)
    for name, text in case.files:
        (stack / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    return root


def test_the_catalogue_has_at_least_200_cases() -> None:
    assert len(CASES) + len(CLI_CASES) >= 200


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_exits_3_naming_where(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    root = _homelab(tmp_path / "lab", case)
    done = CliRunner().invoke(app, ["-C", str(root), "validate"],
                              env={"HOMESTACK_RENDER_CACHE": "off", "COLUMNS": "300"})
    output = done.output
    assert done.exit_code == 3, output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, output
    assert case.where in errors[0], output
    assert case.words in output, output
    assert "Traceback" not in output


VALID = Bad("deployment(stack, 'web', image='docker.io/library/nginx:1.27.2', memory='64Mi', "
            "cpu='10m', port=80)\n")


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_bad_command_line_exits_3_naming_what(tmp_path: Path, name: str) -> None:
    args, words = CLI_CASES[name]
    root = _homelab(tmp_path / "lab", VALID)
    args = tuple(arg.replace("{tmp}", str(tmp_path)) for arg in args)
    done = CliRunner().invoke(app, ["-C", str(root), *args],
                              env={"HOMESTACK_RENDER_CACHE": "off", "COLUMNS": "300"})
    assert done.exit_code == 3, done.output
    assert words in done.output, done.output
    assert "Traceback" not in done.output
    assert not (root / ".homestack" / "state.db").exists() or name.startswith(
        ("plan", "apply", "destroy", "state", "metrics"))


SAMPLE = sorted(random.Random(os.environ.get("HOMESTACK_BAD_INPUT_SEED")).sample(
    sorted(CASES), 12))


@pytest.mark.parametrize("name", SAMPLE)
def test_apply_of_bad_input_writes_nothing(tmp_path: Path, name: str) -> None:
    root = _homelab(tmp_path / "lab", CASES[name])
    done = subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), "apply",
                           "--yes", "--target", "gitops"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "300"})
    assert done.returncode == 3, done.stdout + done.stderr
    state = root / ".homestack" / "state.db"
    if state.exists():
        with sqlite3.connect(state) as db:
            assert db.execute("SELECT count(*) FROM runs").fetchone() == (0,)
            assert db.execute("SELECT count(*) FROM stacks").fetchone() == (0,)
    repo = root / ".homestack" / "gitops"
    assert not (repo / ".git").exists() or subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "-q", "HEAD"],
        capture_output=True).returncode != 0
