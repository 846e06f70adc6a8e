"""``homestack new``: the scaffold is a Stack the homelab validates, with the Site's defaults."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab

REFERENCE = Path(__file__).parents[2] / "examples" / "reference-homelab"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    copy_homelab(REFERENCE, root)
    return root


def test_the_scaffold_validates_with_the_site_defaults(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    runner = CliRunner()
    before = json.loads(runner.invoke(app, ["-C", str(root), "validate", "--json"]).stdout)
    made = runner.invoke(app, ["-C", str(root), "new", "scratchpad", "--tier", "3-edge"])
    assert made.exit_code == 0, made.output
    text = (root / "stacks" / "scratchpad" / "stack.py").read_text()
    assert "tier=tier.EDGE" in text and "needs=" not in text  # the capability says it
    assert 'auth=auth.required(groups=["admins"])' in text and "tls=" not in text
    checked = runner.invoke(app, ["-C", str(root), "validate", "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["stacks"] == before["stacks"] + 1


def test_new_refuses_an_existing_stack_or_a_bad_name(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["-C", str(root), "new", "immich"]).exit_code == 3
    assert runner.invoke(app, ["-C", str(root), "new", "Bad_Name"]).exit_code == 3
    assert not (root / "stacks" / "Bad_Name").exists()


def test_new_refuses_an_image_without_tag_before_writing(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    made = CliRunner().invoke(app, ["-C", str(root), "new", "nginx", "--image", "nginx"])
    assert made.exit_code == 3
    assert "image 'nginx' has no tag or digest" in made.stderr
    assert not (root / "stacks" / "nginx").exists()
