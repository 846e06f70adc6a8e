"""Kit errors reach the author through the CLI with the stack file and line; every helper is
strict about its keywords; the showcase is valid."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from typer.testing import CliRunner

import homestack.kit as kit
from homestack.cli import app
from homestack.cli.errors import ExitCode
from homestack.kit.errors import UnknownKeywordError
from tests.kit.support import HERE

FIXTURES = HERE / "fixtures"
SHOWCASE = HERE.parents[1] / "examples" / "kit-showcase"

CASES = {
    "declaration-error": ("stacks/web/stack.py:5", "image 'docker.io/library/nginx' has no tag"),
    "render-error": ("stacks/web/stack.py:7", "host 'web.example.com' is outside the Site's"),
    # The call spans lines 5-9: the error names the line of the misspelt keyword.
    "misspelt-keyword": ("stacks/navidrome/stack.py:8",
                         "deployment() got an unexpected keyword 'envs' (did you mean 'env'?)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_kit_error_exits_invalid_naming_the_stack_line(case: str) -> None:
    location, text = CASES[case]
    result = CliRunner().invoke(app, ["-C", str(FIXTURES / case), "validate"])
    assert result.exit_code == ExitCode.INVALID, result.output
    flat = " ".join(result.output.split())
    assert location in flat
    assert text in flat
    assert "Traceback" not in result.output


def test_showcase_validates(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["-C", str(SHOWCASE), "validate"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


STRICT_TYPES = ("Catalog", "Widget", "Port", "Pdb", "Security")


@pytest.mark.parametrize("name", sorted(
    n for n in kit.__all__
    if inspect.isfunction(getattr(kit, n)) or n in STRICT_TYPES))
def test_every_helper_refuses_an_unknown_keyword(name: str) -> None:
    with pytest.raises(UnknownKeywordError, match=f"{name}\\(\\) got an unexpected keyword"):
        getattr(kit, name)(no_such_option=1)


@pytest.mark.parametrize("name", ["required", "app", "public", "none"])
def test_auth_constructors_refuse_an_unknown_keyword(name: str) -> None:
    with pytest.raises(UnknownKeywordError, match="unexpected keyword 'reson'"):
        getattr(kit.auth, name)(reson="x")
