"""Files that cannot be read, decoded, bounded or finished are errors naming them, exit 3."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab


@pytest.fixture
def lab(tmp_path: Path, small_homelab: Path) -> Path:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    return root


def _validate(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-C", str(root), "validate"])
    assert "Traceback" not in result.output
    return result.exit_code, " ".join(result.output.split())


def _dangling(stack: Path) -> None:
    stack.unlink()
    stack.symlink_to(stack.parent / "gone.py")


def _loop(stack: Path) -> None:
    stack.unlink()
    os.symlink("stack.py", stack)


def _directory(stack: Path) -> None:
    stack.unlink()
    stack.mkdir()


def _deleted(stack: Path) -> None:
    stack.unlink()


@pytest.mark.parametrize("damage", [_dangling, _loop, _directory, _deleted],
                         ids=["dangling-symlink", "symlink-loop", "directory", "deleted"])
def test_an_unreadable_stack_file_is_an_error_naming_it(
    lab: Path, damage: Callable[[Path], None]
) -> None:
    damage(lab / "stacks" / "notes" / "stack.py")
    code, output = _validate(lab)
    assert code == 3, output
    assert "stacks/notes/stack.py: cannot read the Stack's file" in output


def test_folders_that_are_not_stacks_are_ignored(lab: Path) -> None:
    (lab / "stacks" / "__pycache__").mkdir()
    (lab / "stacks" / ".hidden").mkdir()
    (lab / "stacks" / "README.md").write_text("notes for humans\n")
    code, output = _validate(lab)
    assert code == 0, output


@pytest.mark.parametrize("call", ["sys.exit(0)", "raise SystemExit(4)", "exit()"])
def test_exit_in_a_stack_file_is_an_error_at_its_line(lab: Path, call: str) -> None:
    path = lab / "stacks" / "whoami" / "stack.py"
    lines = path.read_text().splitlines()
    lines.insert(5, f"import sys; {call}")
    path.write_text("\n".join(lines) + "\n")
    code, output = _validate(lab)
    assert code == 3, output
    assert "stacks/whoami/stack.py:6: the file called sys.exit(" in output


def test_undecodable_stack_file_names_file_and_byte_offset(lab: Path) -> None:
    path = lab / "stacks" / "whoami" / "stack.py"
    data = path.read_bytes()
    path.write_bytes(data[:40] + b"\xff\xfe" + data[40:])
    code, output = _validate(lab)
    assert code == 3, output
    assert "stacks/whoami/stack.py: stacks/whoami/stack.py is not UTF-8 text: byte 40" in output


def test_undecodable_raw_yaml_names_file_and_byte_offset(lab: Path) -> None:
    path = lab / "stacks" / "platform" / "settings.yaml"
    path.write_bytes(path.read_bytes() + b"  other: caf\xe9\n")
    code, output = _validate(lab)
    assert code == 3, output
    offset = len(path.read_bytes()) - 2
    assert (f"stacks/platform/stack.py:8: stacks/platform/settings.yaml is not UTF-8 text: "
            f"byte {offset} is 0xe9") in output


def _laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: laughs}\nx:\n" + "".join(
        "  " + line + "\n" for line in text.splitlines())


@pytest.mark.parametrize(("text", "expected"), [
    (_laughs(), "expands to more than"),
    ("---\napiVersion: v1\nkind: ConfigMap\n" * 100_000, "more than 2000 documents"),
    ("apiVersion: v1\nkind: ConfigMap\nx: &a [*a]\n", "refers to its own anchor"),
], ids=["billion-laughs", "100k-documents", "recursive-alias"])
def test_yaml_past_the_bounds_is_refused_quickly(lab: Path, text: str, expected: str) -> None:
    (lab / "stacks" / "platform" / "settings.yaml").write_text(text)
    started = time.monotonic()
    code, output = _validate(lab)
    assert time.monotonic() - started < 10
    assert code == 3, output
    assert "stacks/platform/stack.py:8: settings.yaml is not valid YAML" in output
    assert expected in output
