"""plan and apply refuse to run while a policy error is not silenced."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab


def test_policy_error_blocks_plan_and_apply(small_homelab: Path, tmp_path: Path) -> None:
    lab = tmp_path / "lab"
    copy_homelab(small_homelab, lab)
    stack = lab / "stacks" / "whoami" / "stack.py"
    stack.write_text(stack.read_text().replace("whoami:v1.10.3", "whoami:latest"))
    runner = CliRunner()
    for verb in (["plan"], ["apply", "--yes"]):
        result = runner.invoke(app, ["-C", str(lab), *verb])
        assert result.exit_code == 1, result.output
        assert "HS-IMAGE-001" in result.output
        assert "policy errors block this run" in result.output
    assert not (lab / ".homestack" / "gitops").exists()
