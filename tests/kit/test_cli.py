"""Kit errors reach the author through the CLI with the stack file and line; showcase is valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app
from tests.kit.support import HERE

FIXTURES = HERE / "fixtures"
SHOWCASE = HERE.parents[1] / "examples" / "kit-showcase"

CASES = {
    "declaration-error": ("stacks/web/stack.py:5", "image 'docker.io/library/nginx' has no tag"),
    "render-error": ("stacks/web/stack.py:7", "host 'web.example.com' is outside the Site's"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_kit_error_exits_3_naming_the_stack_line(case: str) -> None:
    location, text = CASES[case]
    result = CliRunner().invoke(app, ["-C", str(FIXTURES / case), "validate"])
    assert result.exit_code == 3, result.output
    flat = " ".join(result.output.split())
    assert location in flat
    assert text in flat
    assert "Traceback" not in result.output


def test_showcase_validates(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["-C", str(SHOWCASE), "validate"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
