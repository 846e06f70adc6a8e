"""Every ``--option`` a message of Homestack names exists: error messages, hints and guard
verdicts never send a user to a flag the CLI does not have."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import typer.main

from homestack.cli import app

PACKAGE = Path(__file__).resolve().parents[2] / "homestack"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+")
# A command of another tool quoted in a message (`git restore --staged <file>`): its flags
# are that tool's.
OTHER_COMMAND = re.compile(r"`(?!homestack\b)[^`]*`")


def _cli_options() -> set[str]:
    found: set[str] = set()
    pending = [typer.main.get_command(app)]
    while pending:
        command = pending.pop()
        for param in command.params:
            found.update(o for o in [*param.opts, *getattr(param, "secondary_opts", [])]
                         if o.startswith("--"))
        pending.extend(getattr(command, "commands", {}).values())
    return found


def _is_message(call: ast.Call) -> bool:
    """An exception, a verdict, or any call given a ``hint``: text a user reads."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else \
        call.func.id if isinstance(call.func, ast.Name) else ""
    return name.endswith(("Error", "Verdict")) or name in ("fail", "failed_as", "noted") or \
        any(k.arg == "hint" for k in call.keywords)


def _messages() -> Iterator[tuple[str, int, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_message(node):
                for part in ast.walk(node):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        yield (str(path.relative_to(PACKAGE.parent)), node.lineno,
                               OTHER_COMMAND.sub("", part.value))


def test_messages_name_only_options_that_exist() -> None:
    options = _cli_options()
    unknown = sorted({(file, line, option) for file, line, text in _messages()
                      for option in OPTION.findall(text) if option not in options})
    assert unknown == []


def test_the_check_sees_the_messages_it_should() -> None:
    named = {option for _, _, text in _messages() for option in OPTION.findall(text)}
    assert {"--allow-data-loss", "--allow-prune", "--force-conflicts", "--with-dependents",
            "--allow-empty"} <= named
