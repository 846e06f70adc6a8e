"""Homelab files that try to end Homestack, raise what is not an error, or point at what is
not a file: each is invalid input (exit 3) at its file and line, and nothing hangs.

Real processes: a file that really ended the process must fail the test, not end it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SITE = """\
from homestack.model import Domains, Site
site = Site(name="lab", domains=Domains(public="example.org", internal="home.arpa"))
"""


def _lab(tmp_path: Path, stack: str) -> Path:
    root = tmp_path / "lab"
    (root / "stacks" / "web").mkdir(parents=True)
    (root / "site.py").write_text(SITE)
    (root / "stacks" / "web" / "stack.py").write_text(stack)
    return root


def _homestack(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})


EXITS = {
    "os._exit": ("import os\nfrom homestack import Stack\nstack = Stack('web')\nos._exit(0)\n",
                 "stack.py:4", "os._exit(0)"),
    "imported _exit": ("from os import _exit\nfrom homestack import Stack\n"
                       "stack = Stack('web')\n_exit(0)\n", "stack.py:4", "os._exit(0)"),
    "os.abort": ("import os\nfrom homestack import Stack\nstack = Stack('web')\nos.abort()\n",
                 "stack.py:4", "os.abort()"),
    "GeneratorExit": ("from homestack import Stack\nstack = Stack('web')\nraise GeneratorExit\n",
                      "stack.py:3", "raised GeneratorExit"),
    "BaseException": ("from homestack import Stack\nstack = Stack('web')\n"
                      "raise BaseException('x')\n", "stack.py:3", "raised BaseException"),
}


@pytest.mark.parametrize("case", sorted(EXITS))
@pytest.mark.parametrize("command", ["validate", "plan"])
def test_a_file_that_tries_to_end_the_run_is_invalid_input(tmp_path: Path, case: str,
                                                            command: str) -> None:
    stack, location, words = EXITS[case]
    done = _homestack(_lab(tmp_path, stack), command)
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"stacks/web/{location}" in done.stderr and words in done.stderr
    assert "Traceback" not in done.stderr


RAW = "from homestack import Stack\nfrom homestack.kit import raw\nstack = Stack('web')\n" \
      "raw(stack, 'objects.yaml')\n"


def _device(path: Path) -> None:
    path.symlink_to("/dev/urandom")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _huge(path: Path) -> None:
    line = b"# " + b"x" * 1021 + b"\n"
    with path.open("wb") as handle:
        for _ in range(17 * 1024):
            handle.write(line)


@pytest.mark.parametrize(("make", "words"), [
    (_device, "is not a regular file"),
    (_fifo, "is not a regular file"),
    (_huge, "is larger than 16 MiB"),
])
def test_a_data_file_that_is_no_file_or_too_large_is_refused_without_hanging(
        tmp_path: Path, make: Callable[[Path], None], words: str) -> None:
    root = _lab(tmp_path, RAW)
    make(root / "stacks" / "web" / "objects.yaml")
    done = _homestack(root, "validate")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "objects.yaml" in done.stderr and words in done.stderr
    assert "stacks/web/stack.py:4" in done.stderr


def test_a_stack_folder_whose_name_is_not_utf8_is_invalid_input(tmp_path: Path) -> None:
    root = _lab(tmp_path, RAW.replace("raw(stack, 'objects.yaml')\n", ""))
    odd = os.fsencode(root / "stacks") + b"/bad\xff"
    os.mkdir(odd)
    with open(odd + b"/stack.py", "w") as handle:
        handle.write("from homestack import Stack\nstack = Stack('x')\n")
    done = _homestack(root, "validate")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "stacks/" in done.stderr and "is not printable UTF-8" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_file_whose_name_is_not_utf8_beside_a_stack_file_is_no_trouble(
        tmp_path: Path) -> None:
    root = _lab(tmp_path, "import os\nfrom homestack import Stack\nstack = Stack('web')\n"
                          "os.listdir(os.path.dirname(__file__))\n")
    with open(os.fsencode(root / "stacks" / "web") + b"/notes-\xff.txt", "w") as handle:
        handle.write("x")
    for _ in range(2):  # the second run reads the render cache's recorded listing
        done = _homestack(root, "validate")
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_nul_byte_is_reported_at_its_line(tmp_path: Path) -> None:
    root = _lab(tmp_path, "x = 1\ny = 2\0\n")
    done = _homestack(root, "validate")
    assert done.returncode == 3
    assert "stacks/web/stack.py:2: syntax error" in done.stderr
