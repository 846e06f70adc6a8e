"""Planted secret values appear nowhere: not in plans (text or JSON), output, state or Git.

Distinctive values go everywhere a user might put one: kit env, raw env, a URL with a password
in env, args, a ConfigMap and an annotation, a Secret's ``stringData`` and ``data`` (declared
in Python and in a YAML file, with the policy finding silenced so the run goes on to the
target), and the state database URL. Every command runs as its own process, as a user would
run it; then every byte under the homelab and in the render cache is scanned, Git objects
included (reachable or not).
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from homestack_testing.homelabs import copy_homelab
from tests.conftest import SMALL_HOMELAB

PLANTED = {
    "kit-env": "planted-envpw-71c2",
    "raw-env-url": "planted-dburl-88a1",
    "smtp-auth": "planted-smtp-39f0",
    "configmap-url": "planted-cmurl-5d2c",
    "annotation-url": "planted-annot-9e3a",
    "args-url": "planted-args-2f6b",
    "secret-string": "planted-secret-4b7e",
    "secret-data": "planted-secdata-1d9a",
    "secret-yaml": "planted-yaml-6a0d",
    "state-url": "planted-stateurl-7c1e",
}
SILENCE = 'ignore=("HS-SECRET-002: scanned by the secret-scan test",)'


def _blocked_by_policy(root: Path) -> None:
    """Secrets in plain text that policy must stop before anything is planned or written."""
    path = root / "stacks" / "whoami" / "stack.py"
    text = path.read_text().replace(
        '"image": "docker.io/traefik/whoami:v1.10.3",',
        '"image": "docker.io/traefik/whoami:v1.10.3",\n'
        f'                "env": [{{"name": "DATABASE_URL", '
        f'"value": "postgresql://app:{PLANTED["raw-env-url"]}@db/app"}},\n'
        f'                        {{"name": "SMTP_AUTH", "value": "{PLANTED["smtp-auth"]}"}}],\n'
        f'                "args": ["--upstream", '
        f'"redis://:{PLANTED["args-url"]}@cache:6379"],')
    text += f'''
from homestack.kit import deployment
deployment(stack, "admin", image="docker.io/traefik/whoami:v1.10.3", memory="32Mi", cpu="10m",
           env={{"ADMIN_PW": "{PLANTED["kit-env"]}"}})
raw(stack, {{"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {{"name": "links", "annotations": {{
                "example.org/source": "https://bot:{PLANTED["annotation-url"]}@git.example.org/x"}}}},
            "data": {{"UPSTREAM": "https://u:{PLANTED["configmap-url"]}@api.example.org"}}}})
'''
    path.write_text(text)


def _silenced_secrets(root: Path) -> None:
    """Secret objects with values, silenced, so they reach the plan and the GitOps target."""
    data = base64.b64encode(PLANTED["secret-data"].encode()).decode()
    path = root / "stacks" / "notes" / "stack.py"
    path.write_text(path.read_text() + f'''
raw(stack, {{"apiVersion": "v1", "kind": "Secret", "metadata": {{"name": "leak"}},
            "stringData": {{"password": "{PLANTED["secret-string"]}"}},
            "data": {{"token": "{data}"}}}}, {SILENCE})
''')
    (root / "stacks" / "notes" / "secret.yaml").write_text(f"""apiVersion: v1
kind: Secret
metadata:
  name: from-yaml
  annotations:
    homestack.dev/ignore: "HS-SECRET-002: scanned by the secret-scan test"
stringData:
  key: {PLANTED["secret-yaml"]}
""")
    path.write_text(path.read_text() + 'raw(stack, "secret.yaml")\n')


def _homestack(root: Path, *args: str, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200",
            "HOMESTACK_CACHE_DIR": str(root.parent / "cache"), **(env or {})}
    full.pop("HOMESTACK_STATE_URL", None) if env is None else None
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, env=full, check=False, timeout=120)


def _every_byte(root: Path) -> bytes:
    """Every file under ``root`` and every object of every Git repository below it."""
    found = [p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    for git in root.rglob(".git"):
        dump = subprocess.run(["git", "-C", str(git.parent), "cat-file", "--batch-all-objects",
                               "--batch"], capture_output=True, check=True)
        found.append(dump.stdout)
    return b"\n".join(found)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Run every command on the planted homelab; return its root and all it printed."""
    root = tmp_path_factory.mktemp("scan") / "lab"
    copy_homelab(SMALL_HOMELAB, root)
    printed: list[str] = []

    def run(*args: str, expect: set[int], env: dict[str, str] | None = None) -> None:
        done = _homestack(root, *args, env=env)
        assert done.returncode in expect, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        printed.extend([done.stdout, done.stderr])

    _silenced_secrets(root)
    run("validate", expect={0})
    run("validate", "--json", expect={0})
    run("plan", expect={0})
    run("plan", "--json", expect={0})
    run("plan", "--detailed-exitcode", expect={2})
    run("apply", "--yes", expect={1})  # the target refuses the Secrets; the rest applies
    run("apply", "--yes", "--json", expect={1})
    run("plan", "--from-state", "--json", expect={0})
    run("drift", "--json", expect={0, 1, 2})
    run("state", "list", expect={0})
    run("state", "history", expect={0})
    for stack in ("notes", "platform", "whoami"):  # notes failed: it may have no record
        run("state", "show", stack, expect={0, 3})
    _blocked_by_policy(root)
    run("validate", expect={1})
    run("validate", "--json", expect={1})
    run("plan", "--json", expect={1})
    run("apply", "--yes", expect={1})
    url = f"postgresql://hs:{PLANTED['state-url']}/x@127.0.0.1:1/state?connect_timeout=2"
    run("state", "list", expect={1}, env={"HOMESTACK_STATE_URL": url})
    return root, "\n".join(printed)


def test_planted_secrets_appear_in_no_output(scanned: tuple[Path, str]) -> None:
    _, printed = scanned
    assert "HS-SECRET-001" in printed and "HS-SECRET-003" in printed  # the scan saw the findings
    leaked = [name for name, value in PLANTED.items() if value in printed]
    assert leaked == []


def test_planted_secrets_appear_nowhere_in_state_or_git(scanned: tuple[Path, str]) -> None:
    root, _ = scanned
    assert (root / ".homestack" / "state.db").is_file()
    assert "stacks/whoami/kustomization.yaml" in subprocess.run(
        ["git", "-C", str(root / ".homestack" / "gitops"), "ls-files"], capture_output=True,
        text=True, check=True).stdout  # the other Stacks were applied and committed
    everything = _every_byte(root / ".homestack") + _every_byte(root.parent / "cache")
    leaked = [name for name, value in PLANTED.items() if value.encode() in everything]
    assert leaked == []
    encoded = base64.b64encode(PLANTED["secret-data"].encode())
    assert encoded not in everything
