"""What a recorded block read, and whether any of it changed since."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from homestack.catalog.inputs import Inputs, recording


def _record(root: Path, block) -> Inputs:  # type: ignore[no-untyped-def]
    with recording(root) as found:
        block()
    return found[0]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "lab"
    (root / "stacks" / "a").mkdir(parents=True)
    (root / "stacks" / "a" / "stack.py").write_text("x = 1\n")
    (root / "site.py").write_text("site = 1\n")
    return root


def test_files_read_under_the_root_are_recorded_and_nothing_else(tree: Path,
                                                                 tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("o")
    inputs = _record(tree, lambda: ((tree / "site.py").read_text(), outside.read_text()))
    assert list(inputs.files) == [str(tree / "site.py")]
    assert inputs.changed() is None


def test_a_changed_file_is_named(tree: Path) -> None:
    stack = tree / "stacks" / "a" / "stack.py"
    inputs = _record(tree, stack.read_bytes)
    stack.write_text("x = 2\n")
    assert inputs.changed() == str(stack)


def test_a_touched_file_with_the_same_content_is_unchanged(tree: Path) -> None:
    stack = tree / "stacks" / "a" / "stack.py"
    inputs = _record(tree, stack.read_bytes)
    os.utime(stack, ns=(1, 1))  # a checkout rewrites files without changing them
    assert inputs.changed() is None


def test_a_deleted_file_is_a_change(tree: Path) -> None:
    inputs = _record(tree, (tree / "site.py").read_text)
    (tree / "site.py").unlink()
    assert inputs.changed() in (str(tree / "site.py"), str(tree))  # its folder's listing too


def test_a_new_folder_in_a_listed_folder_is_a_change(tree: Path) -> None:
    inputs = _record(tree, lambda: sorted((tree / "stacks").iterdir()))
    assert inputs.changed() is None
    (tree / "stacks" / "b").mkdir()
    assert inputs.changed() == str(tree / "stacks")


def test_a_new_file_next_to_a_read_one_is_a_change(tree: Path) -> None:
    # a file only probed for (exists? then read) shows up in its folder's listing
    inputs = _record(tree, lambda: (tree / "stacks" / "a" / "stack.py").read_text())
    (tree / "stacks" / "a" / "values.yaml").write_text("a: 1\n")
    assert inputs.changed() == str(tree / "stacks" / "a")


def test_what_runs_write_next_to_the_homelab_is_not_a_change(tree: Path) -> None:
    inputs = _record(tree, (tree / "site.py").read_text)
    (tree / ".homestack").mkdir()  # the first apply's state
    (tree / ".git").mkdir()
    assert inputs.changed() is None
    (tree / ".env").write_text("A=1\n")  # any other new name still counts
    assert inputs.changed() == str(tree)


def test_files_opened_for_writing_are_not_inputs(tree: Path) -> None:
    inputs = _record(tree, lambda: (tree / "out.txt").write_text("w"))
    assert str(tree / "out.txt") not in inputs.files


def test_environment_variables_read_are_recorded(tree: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HS_TEST_DOMAIN", "example.org")
    monkeypatch.delenv("HS_TEST_UNSET", raising=False)
    inputs = _record(tree, lambda: (os.environ["HS_TEST_DOMAIN"], os.getenv("HS_TEST_UNSET"),
                                    "HS_TEST_OTHER" in os.environ))
    assert inputs.env == {"HS_TEST_DOMAIN": "example.org", "HS_TEST_UNSET": None,
                          "HS_TEST_OTHER": None}
    assert inputs.changed() is None
    monkeypatch.setenv("HS_TEST_UNSET", "now set")
    assert inputs.changed() == "$HS_TEST_UNSET"


def test_reading_the_whole_environment_makes_all_of_it_an_input(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _record(tree, lambda: dict(os.environ))
    assert inputs.changed() is None
    monkeypatch.setenv("HS_TEST_ANYTHING", "1")
    assert inputs.changed() == "$*"


def test_the_environment_is_restored_and_writes_pass_through(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.environ
    monkeypatch.delenv("HS_TEST_WRITTEN", raising=False)

    def write() -> None:
        os.environ["HS_TEST_WRITTEN"] = "yes"

    _record(tree, write)
    assert os.environ is real
    assert os.environ["HS_TEST_WRITTEN"] == "yes"
    del os.environ["HS_TEST_WRITTEN"]


def test_an_imported_module_counts_as_its_source(tree: Path) -> None:
    (tree / "helpers.py").write_text("VALUE = 1\n")
    sys.path.insert(0, str(tree))
    try:
        inputs = _record(tree, lambda: __import__("helpers"))
    finally:
        sys.path.remove(str(tree))
        sys.modules.pop("helpers", None)
    assert str(tree / "helpers.py") in inputs.files
    assert not any("__pycache__" in path for path in inputs.files)


def test_a_helper_thread_s_reads_are_recorded_too(tree: Path) -> None:
    import threading

    def read() -> None:
        (tree / "site.py").read_text()

    def in_thread() -> None:
        worker = threading.Thread(target=read)
        worker.start()
        worker.join()

    inputs = _record(tree, in_thread)
    assert str(tree / "site.py") in inputs.files
