"""``homestack init``: a new homelab from nothing, then ``new`` with a Postgres database,
validated, applied to a fresh real control plane, and planned again without changes."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from homestack.outputs.starter import Answers, starter_files
from homestack_testing.controlplane import ControlPlane
from homestack_testing.controlplane.storage import install_local_path


@pytest.fixture
def fresh(kube_cluster: ControlPlane) -> ControlPlane:
    """The real control plane with what a fresh k3s has besides: the local-path class."""
    install_local_path(kube_cluster.client())
    return kube_cluster


def _homestack(cwd: Path, *args: str, kubeconfig: Path | None = None
               ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    if kubeconfig is not None:
        env["KUBECONFIG"] = str(kubeconfig)
    return subprocess.run([sys.executable, "-m", "homestack", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def test_init_new_validate_apply_then_a_clean_plan(tmp_path: Path,
                                                   fresh: ControlPlane) -> None:
    kube_cluster = fresh
    made = _homestack(tmp_path, "init", "lab", "--platform", "minimal", "--domain", "example.org")
    assert made.returncode == 0, made.stderr
    assert "homestack -C lab new web" in made.stdout
    lab = tmp_path / "lab"
    assert (lab / ".gitignore").read_text().splitlines()[-1] == ".homestack/"
    run = lambda *args: _homestack(lab, *args, kubeconfig=kube_cluster.kubeconfig)  # noqa: E731
    added = run("new", "web", "--image", "docker.io/traefik/whoami:v1.10.3", "--port", "80",
                "--postgres")
    assert added.returncode == 0, added.stderr
    checked = run("validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    applied = run("apply", "--yes")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    again = run("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr

    client = kube_cluster.client()
    secret = client.get("/api/v1/namespaces/web/secrets/postgres-login").body
    password = base64.b64decode(secret["data"]["password"])
    assert len(password) >= 32
    managers = {entry["manager"] for entry in secret["metadata"]["managedFields"]}
    assert managers == {"homestack", "homestack-generator"}
    # the value lives in the cluster alone: not in the state, the stack files or the output
    for path in lab.rglob("*"):
        if path.is_file():
            assert password not in path.read_bytes(), path
    assert password.decode() not in applied.stdout + applied.stderr
    ingress = client.get("/apis/networking.k8s.io/v1/namespaces/web/ingresses/web").body
    assert ingress["spec"]["tls"] == [{"hosts": ["web.example.org"]}]


def test_a_second_apply_keeps_the_generated_password(tmp_path: Path,
                                                     fresh: ControlPlane) -> None:
    kube_cluster = fresh
    assert _homestack(tmp_path, "init", "lab", "--domain", "example.org").returncode == 0
    lab = tmp_path / "lab"
    run = lambda *args: _homestack(lab, *args, kubeconfig=kube_cluster.kubeconfig)  # noqa: E731
    assert run("new", "app", "--postgres").returncode == 0
    assert run("apply", "--yes").returncode == 0
    path = "/api/v1/namespaces/app/secrets/postgres-login"
    first = kube_cluster.client().get(path).body["data"]["password"]
    stack = lab / "stacks" / "app" / "stack.py"
    stack.write_text(stack.read_text().replace('memory="64Mi"', 'memory="96Mi"'))
    changed = run("apply", "--yes")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert kube_cluster.client().get(path).body["data"]["password"] == first


@pytest.mark.parametrize(("args", "named"), [
    (("--domain", "not a domain"), "--domain"),
    (("--name", "Bad_Name"), "--name"),
    (("--state-url", "postgresql://hs:secret@db.home.arpa/hs"), "--state-url"),
    (("--gitops", "--context", "lab"), "--gitops"),
])
def test_init_refuses_bad_answers_and_writes_nothing(tmp_path: Path, args: tuple[str, ...],
                                                     named: str) -> None:
    done = _homestack(tmp_path, "init", "lab", *args)
    assert done.returncode == 3, done.stderr
    assert named in done.stderr
    assert not (tmp_path / "lab" / "site.py").exists()


def test_init_never_overwrites_a_homelab(tmp_path: Path) -> None:
    assert _homestack(tmp_path, "init", "lab", "--domain", "example.org").returncode == 0
    site = (tmp_path / "lab" / "site.py").read_text()
    again = _homestack(tmp_path, "init", "lab", "--domain", "example.net")
    assert again.returncode == 3 and "already holds a homelab" in again.stderr
    assert (tmp_path / "lab" / "site.py").read_text() == site


def test_a_gitops_homelab_without_a_platform_validates(tmp_path: Path) -> None:
    made = _homestack(tmp_path, "init", "lab", "--gitops", "--platform", "none",
                      "--domain", "example.org", "--state-url", "postgresql://hs@db/hs")
    assert made.returncode == 0, made.stderr
    site = (tmp_path / "lab" / "site.py").read_text()
    assert "Cluster" not in site and 'url="postgresql://hs@db/hs"' in site
    assert not (tmp_path / "lab" / "stacks").exists()
    checked = _homestack(tmp_path / "lab", "validate", "--offline")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_starter_example_is_what_init_writes() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "starter-homelab"
    written = {path.relative_to(example).as_posix(): path.read_text()
               for path in example.rglob("*") if path.is_file()
               and ".homestack" not in path.relative_to(example).parts}
    expected = starter_files(Answers(name="starter", domain="example.org"))
    assert written == expected


def test_a_feature_the_platform_lacks_is_refused_at_its_line(tmp_path: Path) -> None:
    assert _homestack(tmp_path, "init", "lab", "--domain", "example.org").returncode == 0
    stack = tmp_path / "lab" / "stacks" / "app" / "stack.py"
    stack.parent.mkdir(parents=True)
    stack.write_text(
        "from homestack import Stack, tier\n"
        "from homestack.kit import postgres_database\n\n"
        'stack = Stack("app", tier=tier.AUX)\n'
        'postgres_database(stack, "app")\n')
    done = _homestack(tmp_path / "lab", "--json", "validate", "--offline")
    assert done.returncode == 3, done.stdout + done.stderr
    error = json.loads(done.stdout)["error"]
    assert (error["file"], error["line"]) == ("stacks/app/stack.py", 5)
    assert "'postgres'" in error["message"] and "Capability.POSTGRES" in error["message"]
