"""Under --json (the global flag or the command's), an error is a JSON object on stdout with
the same exit code: {"error": {"kind", "message", "file", "line", "code"}}."""

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


def _json(root: Path, *args: str) -> tuple[int, dict[str, object]]:
    done = subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    body = json.loads(done.stdout)
    assert "error:" in done.stderr or "policy errors" in done.stderr, done.stderr
    return done.returncode, body["error"]


def _break(root: Path) -> None:
    stack = root / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text() + "\nthis is not python\n")


@pytest.mark.parametrize("args", [("--json", "validate"), ("validate", "--json"),
                                  ("--json", "plan"), ("plan", "--json"),
                                  ("apply", "--yes", "--json"), ("--json", "render")])
def test_invalid_input_is_a_json_error_naming_file_and_line(lab: Path,
                                                            args: tuple[str, ...]) -> None:
    _break(lab)
    code, error = _json(lab, *args)
    assert code == 3 and error["code"] == 3 and error["kind"] == "invalid-input"
    assert error["file"] == "stacks/whoami/stack.py"
    assert isinstance(error["line"], int) and error["line"] > 1
    assert "NameError" in str(error["message"])


@pytest.mark.parametrize("args", [("plan", "nope", "--json"), ("--json", "state", "show", "nope"),
                                  ("apply", "missing.json", "--json")])
def test_a_bad_name_is_a_json_error(lab: Path, args: tuple[str, ...]) -> None:
    code, error = _json(lab, *args)
    assert code == 3 and error["code"] == 3
    assert error["line"] is None


def test_a_policy_block_is_a_json_error_with_its_findings(lab: Path) -> None:
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text().replace("whoami:v1.10.3", "whoami:latest"))
    code, error = _json(lab, "plan", "--json")
    assert code == 1 and error["kind"] == "policy" and error["code"] == 1
    findings = error["findings"]
    assert isinstance(findings, list) and findings
    assert all({"rule", "stack", "address", "message"} <= set(f) for f in findings)


def test_a_failed_run_is_a_json_error(lab: Path) -> None:
    code, error = _json(lab, "--json", "ci", "plan", "--pushgateway", "http://127.0.0.1:1")
    assert code == 1 and error["kind"] == "failed" and error["code"] == 1
    assert error["file"] == "--pushgateway"
