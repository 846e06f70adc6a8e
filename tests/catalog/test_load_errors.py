"""Every kind of bad homelab input exits 3 with a message naming the file and line or field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app

FIXTURES = Path(__file__).parent / "fixtures"

CASES = {
    "syntax-error": ("stacks/broken/stack.py:3", "syntax error"),
    "raises-exception": ("stacks/boom/stack.py:5", "KeyError: 'b'"),
    "invalid-field": ("stacks/badfield/stack.py:3", "tier: Input should be"),
    "unknown-needs": ("stacks/lonely/stack.py:3", "needs unknown Stack 'ghost'"),
    "duplicate-stack": ("stacks/beta/stack.py:3", "duplicate Stack 'alpha'"),
    "folder-mismatch": ("stacks/wrongfolder/stack.py:3", "lives in folder 'wrongfolder'"),
    "cycle": ("stacks/a/stack.py:3", "dependency cycle: a -> b -> c -> a"),
    "two-stacks": ("stacks/twins/stack.py", "exactly one Stack, found 2"),
    "bad-raw-yaml": ("stacks/rawbad/stack.py:5", "objects.yaml is not valid YAML"),
    "duplicate-address": ("stacks/dupaddr/stack.py:6", "declared twice"),
    "invalid-site": ("site.py:6", "cidr:"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["validate", "render", "graph"])
def test_bad_input_exits_3_naming_the_location(case: str, command: str) -> None:
    location, text = CASES[case]
    result = CliRunner().invoke(app, ["-C", str(FIXTURES / case), command])
    if command == "graph" and case == "duplicate-address":
        # graph orders Stacks without rendering them, so render-time errors do not apply
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 3, result.output
    assert location in result.output
    assert text in result.output
    assert "Traceback" not in result.output


def test_invalid_field_lists_every_field_error() -> None:
    result = CliRunner().invoke(app, ["-C", str(FIXTURES / "invalid-field"), "validate"])
    assert "namespace:" in result.output
    assert "tier:" in result.output
    assert "'9-nope'" in result.output


def test_render_prints_nothing_on_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["-C", str(FIXTURES / "duplicate-address"), "render", "-o", str(out)]
    )
    assert result.exit_code == 3
    assert not out.exists()


def test_missing_site_is_invalid_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["-C", str(tmp_path), "validate"])
    assert result.exit_code == 3
    assert "no site.py found" in result.output


def test_debug_shows_the_traceback_and_keeps_the_exit_code() -> None:
    result = CliRunner().invoke(
        app, ["-C", str(FIXTURES / "unknown-needs"), "--debug", "validate"]
    )
    assert result.exit_code == 3  # invalid input, as without --debug: scripts can rely on it
    assert "Traceback (most recent call last)" in result.output
    assert "homestack/catalog/loader.py" in result.output
    assert "needs unknown Stack 'ghost'" in result.output
