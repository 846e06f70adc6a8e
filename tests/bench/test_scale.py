"""bench/scale.py: a homelab scaled N times still validates and has N times the Stacks."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bench.scale import scale
from homestack.cli import app

SMALL = Path(__file__).resolve().parents[2] / "examples" / "small-homelab"


def _validate(root: Path) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(app, ["-C", str(root), "validate", "--json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def test_scaled_three_times_validates_with_three_times_the_stacks(tmp_path: Path) -> None:
    _, original = _validate(SMALL)
    out = tmp_path / "scaled"
    scale(SMALL, 3, out)
    code, scaled = _validate(out)
    assert code == 0
    assert scaled["stacks"] == 3 * original["stacks"]
    assert not [f for f in scaled["findings"] if f["severity"] == "error"]  # type: ignore[union-attr]


def test_copies_have_distinct_names_namespaces_and_needs(tmp_path: Path) -> None:
    out = tmp_path / "scaled"
    scale(SMALL, 2, out)
    result = CliRunner().invoke(app, ["-C", str(out), "graph", "--format", "json"])
    stacks = {s["name"]: s for s in json.loads(result.stdout)["stacks"]}
    # the copy needs the copy of its need, and the one owner of the PriorityClasses
    assert stacks["whoami-c1"]["needs"] == ["platform", "traefik-c1"]
    assert stacks["whoami-c1"]["inferred"] == ["platform"]
    rendered = CliRunner().invoke(app, ["-C", str(out), "render", "traefik-c1"]).stdout
    assert "namespace: traefik-c1" in rendered
    assert "10.0.20.203" not in rendered  # the dedicated LB IP stays with the original
