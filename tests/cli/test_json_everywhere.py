"""``--json`` on every command, the same way: the global flag and the flag after the command
are one flag; on success standard output is one JSON document, on error it is the error
object ``{"error": {"kind", "message", "file", "line", "code"}}`` with the exit code.

The table below names a successful and a failing command line for every command the CLI has;
a command added without a row fails ``test_every_command_has_a_row``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab
from tests.conftest import SMALL_HOMELAB

KUBE_ACCESS = ('kube_access=KubeAccess(api_server="https://10.0.20.100:6443", '
               'oidc_issuer_url="https://auth.example.org/application/o/kubernetes/", '
               'oidc_client_id="kubernetes"),\n')

# command → (arguments that succeed, arguments that fail, the failure's exit code)
ROWS: dict[str, tuple[list[str], list[str], int]] = {
    "access": ([], ["--bogus"], 3),
    "adopt": (["--yes"], ["nope", "--yes"], 3),
    "apply": (["--yes"], ["nope", "--yes"], 3),
    "ci apply": (["--replan"], [], 3),
    "ci drift": (["--confirm-delay", "0"], ["--metrics-file", "/proc/x/m.prom"], 3),
    "ci pipeline": (["--woodpecker", "-o", "-"], ["--woodpecker", "--github"], 3),
    "ci plan": ([], ["nope"], 3),
    "destroy": (["notes", "--yes", "--allow-data-loss"], ["nope", "--yes"], 3),
    "drift": ([], ["nope"], 3),
    "explain": (["HS-AUTH-001"], ["HS-NOPE-999"], 3),
    "graph": ([], ["--format", "nope"], 3),
    "init": (["{tmp}/new-lab", "--domain", "example.org"], ["{tmp}/bad", "--domain", "a b"], 3),
    "kubeconfig": (["alice", "-o", "{tmp}/alice.kubeconfig"], ["nobody"], 3),
    "new": (["web"], ["whoami"], 3),
    "plan": ([], ["nope"], 3),
    "policy export": ([], ["-o", "/nonexistent/folder/policies"], 3),
    "render": ([], ["nope"], 3),
    "state history": ([], ["--limit", "x"], 3),
    "state keygen": (["-o", "{tmp}/age.key"], ["-o", "/proc/x/age.key"], 3),
    "state list": ([], ["extra"], 3),
    "state mv": (["notes", "notebook"], ["nope", "other"], 3),
    "state show": (["whoami"], ["nope"], 3),
    "state unlock": (["whoami", "--reason", "test"], ["nope", "--reason", "test"], 3),
    "validate": ([], ["--offline", "--bogus"], 3),
}
MUTATING = ("apply", "adopt", "destroy", "new", "state mv", "state unlock", "ci apply")


def _commands() -> list[str]:
    found: list[str] = []

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
        else:
            found.append(" ".join(path))

    walk(typer.main.get_command(app), [])
    return sorted(found)


def test_every_command_has_a_row() -> None:
    assert _commands() == sorted(ROWS)


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small homelab with kube_access, applied once (its GitOps output and state)."""
    root = copy_homelab(SMALL_HOMELAB, tmp_path_factory.mktemp("json") / "lab")
    site = root / "site.py"
    text = site.read_text().replace("    Group,\n", "    Group,\n    KubeAccess,\n")
    site.write_text(text.replace("    trusted_registries=", "    " + KUBE_ACCESS
                                 + "    trusted_registries="))
    done = CliRunner().invoke(app, ["-C", str(root), "apply", "--yes"])
    assert done.exit_code == 0, done.output
    return root


def _run(root: Path, tmp: Path, command: str, args: list[str], flag_first: bool
         ) -> tuple[int, Any, str]:
    words = [*command.split(), *(a.replace("{tmp}", str(tmp)) for a in args)]
    line = ["-C", str(root), *(["--json", *words] if flag_first else [*words, "--json"])]
    done = CliRunner().invoke(app, line)
    assert done.stdout.strip(), f"{command}: nothing on stdout ({done.stderr})"
    try:
        return done.exit_code, json.loads(done.stdout), done.stderr
    except json.JSONDecodeError as exc:
        raise AssertionError(f"{line}: stdout is not one JSON document:\n{done.stdout}") \
            from exc


@pytest.mark.parametrize("flag_first", [True, False], ids=["global", "after"])
@pytest.mark.parametrize("command", sorted(ROWS))
def test_success_is_one_json_document(command: str, flag_first: bool, applied: Path,
                                      tmp_path: Path) -> None:
    root = applied
    if command in MUTATING:  # on a copy that keeps the applied run state
        root = copy_homelab(applied, tmp_path / "lab")
        shutil.copytree(applied / ".homestack", root / ".homestack", dirs_exist_ok=True)
    code, body, stderr = _run(root, tmp_path, command, ROWS[command][0], flag_first)
    assert code == 0, (command, body, stderr)
    assert not (isinstance(body, dict) and "error" in body), body


@pytest.mark.parametrize("command", sorted(ROWS))
def test_failure_is_the_error_object_with_the_exit_code(command: str, applied: Path,
                                                        tmp_path: Path) -> None:
    _, failing, expected = ROWS[command]
    code, body, stderr = _run(applied, tmp_path, command, failing, flag_first=False)
    assert code == expected, (command, body, stderr)
    error = body["error"]
    assert set(error) >= {"kind", "message", "file", "line", "code"}, error
    assert error["code"] == code and error["message"], error
    assert error["message"].split()[0].lower() in stderr.lower(), (error, stderr)


def test_a_usage_error_of_the_installed_command_is_the_error_object() -> None:
    done = subprocess.run([sys.executable, "-m", "homestack", "--json", "no-such-command"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 3
    assert json.loads(done.stdout)["error"]["kind"] == "usage"
    assert "no-such-command" in done.stderr
