"""The cli layer: the ``homestack`` command (typer + rich).

A run imports only the module of the command it runs (``homestack plan`` never loads the code
of ``access`` or ``kubeconfig``): every command pays the import time of what it uses, and a
no-op plan is mostly import time. Help, an unknown command and ``homestack.cli.app`` load them
all.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

# command -> the module that declares it, in the order ``--help`` lists the modules
COMMAND_MODULES: dict[str, str] = {
    "access": "access_cmd",
    "ci": "ci_cmd",
    "plan": "engine_cmd",
    "apply": "engine_cmd",
    "adopt": "engine_cmd",
    "drift": "drift_cmd",
    "destroy": "destroy_cmd",
    "explain": "explain_cmd",
    "graph": "graph_cmd",
    "init": "init_cmd",
    "kubeconfig": "kubeconfig_cmd",
    "new": "new_cmd",
    "policy": "policy_cmd",
    "render": "render_cmd",
    "validate": "validate_cmd",
    "state": "state",
}
_GLOBAL_OPTIONS_WITH_VALUE = ("-C", "--directory")


def load_commands(command: str | None = None) -> Any:
    """Import the module of ``command`` (every module when None or unknown); the root app."""
    from homestack.cli.root import app

    wanted = COMMAND_MODULES.get(command or "")
    for name in dict.fromkeys(COMMAND_MODULES.values()):
        if wanted is None or name == wanted:
            _register(app, importlib.import_module(f"homestack.cli.{name}"))
    return app


_GROUPS = {"state": "state_app", "ci": "ci_app"}  # command groups mounted on the root


def _register(app: Any, module: ModuleType) -> None:
    """Mount a module's command group (``state``, ``ci``) once."""
    for name, attribute in _GROUPS.items():
        group = getattr(module, attribute, None)
        if group is not None and all(info.typer_instance is not group
                                     for info in app.registered_groups):
            app.add_typer(group, name=name)


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, after the global options."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in _GLOBAL_OPTIONS_WITH_VALUE:
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            return word
    return None


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole command line, for embedding and tests
        return load_commands()
    if name in COMMAND_MODULES.values():
        return importlib.import_module(f"homestack.cli.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Entry point of the ``homestack`` console command.

    Usage errors exit 3 (invalid input), not click's 2: exit 2 means "changes found".
    """
    import typer

    from homestack.cli.errors import ExitCode, hoisted_json

    argv = hoisted_json(sys.argv[1:])
    app = load_commands(_command(argv))
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit
    except typer.Abort:
        print("Aborted!", file=sys.stderr)
        raise SystemExit(ExitCode.FAILED) from None
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"error: {exc.format_message()}", file=sys.stderr)
        raise SystemExit(ExitCode.INVALID) from None
    raise SystemExit(code if isinstance(code, int) else ExitCode.OK)
