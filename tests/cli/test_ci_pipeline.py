"""``homestack ci pipeline``: the generated CI files are YAML with the documented steps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml


@pytest.mark.parametrize("flavour", ["--woodpecker", "--forgejo", "--github"])
def test_the_pipeline_file_is_yaml_with_the_documented_steps(tmp_path: Path,
                                                             flavour: str) -> None:
    out = tmp_path / "pipeline.yaml"
    done = subprocess.run([sys.executable, "-m", "homestack", "-C", str(tmp_path), "ci",
                           "pipeline", flavour, "-o", str(out)], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(out.read_text())
    if flavour == "--woodpecker":
        steps = {s["name"]: s for s in data["steps"]}
        assert list(steps) == ["validate", "plan", "apply", "drift"]
        assert steps["drift"]["when"] == [{"event": "cron", "cron": "nightly-drift"}]
        # The apply step applies exactly the plan it saved and printed, never a fresh one.
        assert steps["apply"]["commands"][1:] == [
            "homestack ci plan --out homestack-plan.json || [ $? -eq 2 ]",
            "homestack ci apply --plan homestack-plan.json"]
    else:
        assert list(data["jobs"]) == ["validate", "plan", "apply", "drift"]
        assert data["jobs"]["apply"]["steps"][-1]["run"] == \
            "homestack ci apply --plan homestack-plan.json"
        assert data["jobs"]["drift"]["steps"][-1]["run"].startswith("homestack ci drift")


def test_dash_writes_the_pipeline_to_standard_output(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "homestack", "-C", str(tmp_path), "ci",
                           "pipeline", "--github", "-o", "-"], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert list(yaml.safe_load(done.stdout)["jobs"]) == ["validate", "plan", "apply", "drift"]
    assert not (tmp_path / "-").exists()
