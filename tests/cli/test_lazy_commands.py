"""A run imports only its command's module; every command is still reachable and listed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.main import get_command

from homestack.cli import COMMAND_MODULES, _command, app


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_every_command_of_the_whole_app_has_its_module() -> None:
    assert set(get_command(app).commands) == set(COMMAND_MODULES)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", sorted(COMMAND_MODULES))
def test_each_command_runs_with_only_its_module_loaded(command: str) -> None:
    done = _run("import sys\nsys.argv = ['homestack', '-C', '.', '--json', "
                f"{command!r}, '--help']\nfrom homestack.cli import main\nmain()")
    assert done.returncode == 0, done.stderr
    assert f"homestack {command}" in done.stdout


def test_plan_does_not_load_the_other_commands() -> None:
    done = _run("import sys\nsys.argv = ['homestack', 'plan', '--help']\n"
                "from homestack.cli import main\ntry:\n    main()\nfinally:\n"
                "    print(sorted(m for m in sys.modules if m.startswith('homestack.cli.')),"
                " file=sys.stderr)")
    loaded = done.stderr
    assert "homestack.cli.engine_cmd" in loaded
    for other in ("access_cmd", "kubeconfig_cmd", "new_cmd", "policy_cmd", "ci_cmd", "drift_cmd",
                  "destroy_cmd"):
        assert f"homestack.cli.{other}" not in loaded


def test_help_and_unknown_commands_load_everything() -> None:
    done = _run("import sys\nsys.argv = ['homestack', '--help']\n"
                "from homestack.cli import main\nmain()")
    assert done.returncode == 0 and "kubeconfig" in done.stdout and "state" in done.stdout
    wrong = _run("import sys\nsys.argv = ['homestack', 'pln']\n"
                 "from homestack.cli import main\nmain()")
    assert wrong.returncode == 3 and "pln" in wrong.stderr


@pytest.mark.parametrize(("argv", "command"), [
    (["plan"], "plan"),
    (["-C", "lab", "apply", "x"], "apply"),
    (["--directory", "lab", "--json", "state", "list"], "state"),
    (["--directory=lab", "--debug", "ci", "plan"], "ci"),
    (["--help"], None),
    ([], None),
])
def test_the_command_is_found_after_the_global_options(argv: list[str],
                                                       command: str | None) -> None:
    assert _command(argv) == command
