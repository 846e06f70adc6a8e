"""The generated Woodpecker pipeline, run step by step as Woodpecker would run it.

Woodpecker's CLI cannot be built here (its Go module is not served by the module proxy this
machine reaches), so the test does what its local backend does: for an event, the steps whose
``when`` matches run in order in a clean checkout, each in a fresh virtualenv where the step's
first command installs Homestack from the pinned source, with the step's ``environment`` taken
from a secret store and the file's ``$$`` escapes undone (Woodpecker substitutes ``$VAR``
itself; an unescaped one would reach the shell empty). The pull request plans and applies
nothing; the push on main applies the plan it saved to the real control plane, with the state
in PostgreSQL; a second push finds nothing to do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from homestack_testing.controlplane import ControlPlane
from homestack_testing.controlplane.storage import install_local_path
from tests.state.conftest import PostgresServer, postgres_server  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
UNESCAPED = re.compile(r"(?<!\$)\$(?!\$)")  # a single $ Woodpecker would substitute


def _homestack(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "homestack", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          cwd=cwd, capture_output=True, text=True, check=True).stdout


def _matches(when: list[dict[str, Any]], event: str, branch: str) -> bool:
    return any(w.get("event") == event and w.get("branch", branch) == branch for w in when)


def _unescaped(command: str) -> str:
    assert not UNESCAPED.search(command), f"Woodpecker would substitute: {command}"
    return command.replace("$$", "$")


Runs = dict[str, subprocess.CompletedProcess[str]]


def run_pipeline(pipeline: dict[str, Any], event: str, branch: str, workspace: Path,
                 secrets: dict[str, str], tools: Path) -> Runs:
    """Run the steps of ``event`` on ``branch`` in ``workspace``; stop at the first failure."""
    done: Runs = {}
    for step in pipeline["steps"]:
        if not _matches(step["when"], event, branch):
            continue
        env_dir = tools / step["name"]
        venv.create(env_dir, with_pip=True)
        env = {"PATH": f"{env_dir / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": str(tools),
               "CI": "woodpecker", "CI_PIPELINE_EVENT": event, "CI_COMMIT_BRANCH": branch,
               "PIP_DISABLE_PIP_VERSION_CHECK": "1", "NO_COLOR": "1"}
        for name in ("HOMESTACK_CHART_MIRROR", "PIP_INDEX_URL", "PIP_CACHE_DIR",
                     "XDG_CACHE_HOME"):  # the CI host's own settings, not the homelab's
            if name in os.environ:
                env[name] = os.environ[name]
        env["PIP_CACHE_DIR"] = env.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
        for variable, source in (step.get("environment") or {}).items():
            env[variable] = secrets[source["from_secret"]]
        script = "set -e\n" + "\n".join(_unescaped(c) for c in step["commands"])
        result = subprocess.run(["/bin/sh", "-c", script], cwd=workspace, env=env,
                                capture_output=True, text=True, timeout=900, check=False)
        done[step["name"]] = result
        if result.returncode != 0:
            break
    return done


@pytest.fixture
def cluster(kube_cluster: ControlPlane) -> ControlPlane:
    install_local_path(kube_cluster.client())
    return kube_cluster


def _source(into: Path) -> Path:
    """This Homestack's source as a pip-installable folder (the pinned source of the test)."""
    for name in ("homestack", "homestack_testing"):
        shutil.copytree(REPO / name, into / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, into / name)
    return into


def test_the_woodpecker_pipeline_plans_a_pull_request_and_applies_main(
        tmp_path: Path, cluster: ControlPlane, postgres_server: PostgresServer) -> None:  # noqa: F811
    source = _source(tmp_path / "homestack-src")
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    author = tmp_path / "author"
    assert _homestack(tmp_path, "init", "author", "--domain", "example.org").returncode == 0
    made = _homestack(author, "ci", "pipeline", "--woodpecker", "--json",
                      "--install", f"homestack[helm] @ file://{source}")
    assert made.returncode == 0, made.stderr
    listed = {s["name"] for s in yaml.safe_load(made.stdout)["secrets"]}
    assert listed == {"homestack_state_url", "kubeconfig", "homestack_notify"}
    _git(author, "init", "-q", "-b", "main")
    _git(author, "add", "-A")
    _git(author, "commit", "-qm", "a homelab")
    _git(author, "remote", "add", "origin", str(origin))
    _git(author, "push", "-q", "origin", "main")
    # the change a pull request brings
    _git(author, "switch", "-q", "-c", "web")
    assert _homestack(author, "new", "web", "--postgres").returncode == 0
    _git(author, "add", "-A")
    _git(author, "commit", "-qm", "web")
    _git(author, "push", "-q", "origin", "web")

    pipeline = yaml.safe_load((author / ".woodpecker" / "homestack.yaml").read_text())
    state_url = postgres_server.database()
    secrets = {"homestack_state_url": state_url,
               "kubeconfig": cluster.kubeconfig.read_text(), "homestack_notify": ""}
    tools = tmp_path / "tools"

    def checkout(name: str, branch: str) -> Path:
        workspace = tmp_path / name
        _git(tmp_path, "clone", "-q", "-b", branch, str(origin), str(workspace))
        return workspace

    review = run_pipeline(pipeline, "pull_request", "web", checkout("pr", "web"), secrets,
                          tools / "pr")
    assert list(review) == ["plan"], list(review)
    assert review["plan"].returncode == 0, review["plan"].stdout + review["plan"].stderr
    assert (tmp_path / "pr" / "homestack-plan.json").is_file()
    assert "web: planned" in review["plan"].stdout
    assert cluster.client().get("/api/v1/namespaces/web").code == 404  # nothing applied

    _git(author, "switch", "-q", "main")
    _git(author, "merge", "-q", "--ff-only", "web")
    _git(author, "push", "-q", "origin", "main")
    merged = run_pipeline(pipeline, "push", "main", checkout("main", "main"), secrets,
                          tools / "main")
    assert list(merged) == ["validate", "apply"], list(merged)
    for name, result in merged.items():
        assert result.returncode == 0, (name, result.stdout + result.stderr)
    assert "homestack ci apply: the saved plan homestack-plan.json" in merged["apply"].stdout
    deployment = cluster.client().get("/apis/apps/v1/namespaces/web/deployments/web")
    assert deployment.code == 200
    with psycopg.connect(state_url) as connection:
        recorded = {row[0] for row in connection.execute("SELECT stack FROM homestack.stacks")}
    assert {"platform", "traefik", "web"} <= recorded

    again = run_pipeline(pipeline, "push", "main", checkout("again", "main"), secrets,
                         tools / "again")
    assert again["apply"].returncode == 0, again["apply"].stdout + again["apply"].stderr
    assert "nothing to do" in again["apply"].stdout
