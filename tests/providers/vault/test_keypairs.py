"""Generated keypairs (age and SSH ed25519) in a real OpenBao: both halves written once, the
public key valid for its tool, the private key nowhere but in OpenBao."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pyrage
import pytest

from homestack import Stack, tier
from homestack.kit import generated_secret, namespace, public_key_of
from homestack.model import Domains, ModelError, Site

if TYPE_CHECKING:
    from tests.providers.vault.conftest import VaultLab

STACK = '''\
from homestack import Stack, tier
from homestack.kit import deployment, generated_secret, namespace, public_key_of

stack = Stack("app", tier=tier.AUX)
namespace(stack)
age = generated_secret(stack, "secret/app#age_identity", kind="age")
ssh = generated_secret(stack, "secret/app#deploy_key", kind="ssh-ed25519")
deployment(stack, "web", image="docker.io/library/nginx:1.27.0", port=80, memory="64Mi",
           cpu="10m", env={"AGE_IDENTITY": age, "AGE_RECIPIENT": public_key_of(age),
                           "SSH_KEY": ssh, "SSH_PUBLIC": public_key_of(ssh)})
'''


def test_a_keypair_renders_its_kind_and_public_key_name_only() -> None:
    stack = Stack("app", tier=tier.AUX)
    namespace(stack)
    ref = generated_secret(stack, "secret/app#age_identity", kind="age")
    assert (public_key_of(ref).path, public_key_of(ref).key) == ("secret/app",
                                                                 "age_identity_public")
    [resource] = [r for r in stack.render(
        Site(name="lab", domains=Domains(public="example.org", internal="home.arpa")))
        if r.kind == "kv:generated"]
    assert resource.body == {"path": "secret/app", "key": "age_identity", "kind": "age",
                             "public_key": "age_identity_public", "generation": 1}
    with pytest.raises(ModelError, match="kind 'rsa' is not known"):
        generated_secret(stack, "secret/app#other", kind="rsa")


def _kv(lab: VaultLab) -> dict[str, str]:
    data: dict[str, str] = lab.server.request("GET", "secret/data/app")["data"]["data"]
    return data


def test_age_and_ssh_keypairs_are_created_once_and_valid(vaultlab: VaultLab,
                                                         tmp_path: Path) -> None:
    (vaultlab.root / "stacks" / "app" / "stack.py").write_text(STACK)
    planned = vaultlab.run("plan")
    assert planned.returncode == 0, planned.stdout + planned.stderr  # public refs resolve
    done = vaultlab.run("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    kv = _kv(vaultlab)

    identity = pyrage.x25519.Identity.from_str(kv["age_identity"])
    recipient = pyrage.x25519.Recipient.from_str(kv["age_identity_public"])
    assert str(identity.to_public()) == kv["age_identity_public"]
    assert pyrage.decrypt(pyrage.encrypt(b"sealed", [recipient]), [identity]) == b"sealed"

    public = tmp_path / "key.pub"
    public.write_text(kv["deploy_key_public"] + "\n")
    listed = subprocess.run(["ssh-keygen", "-l", "-f", str(public)], capture_output=True,
                            text=True, check=True).stdout
    assert "(ED25519)" in listed
    private = tmp_path / "key"
    private.write_text(kv["deploy_key"])
    private.chmod(0o600)
    derived = subprocess.run(["ssh-keygen", "-y", "-f", str(private)], capture_output=True,
                             text=True, check=True).stdout.split()[:2]
    assert derived == kv["deploy_key_public"].split()[:2]

    again = vaultlab.run("apply", "--yes")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _kv(vaultlab) == kv
    assert vaultlab.run("plan", "--detailed-exitcode").returncode == 0

    outputs = [done, again, vaultlab.run("plan", "--json"), vaultlab.run("drift")]
    secrets = (kv["age_identity"], kv["deploy_key"],
               kv["deploy_key"].splitlines()[1])  # one line of the key body, alone
    for value in secrets:
        for run in outputs:
            assert value not in run.stdout + run.stderr
        for path in vaultlab.root.rglob("*"):
            if path.is_file():
                assert value.encode() not in path.read_bytes(), path
    with sqlite3.connect(vaultlab.root / ".homestack" / "state.db") as db:
        rows = [str(row) for table in ("resources", "stacks") for row in
                db.execute(f"SELECT * FROM {table}")]
    assert rows and not any(v in row for v in secrets for row in rows)
    gitops = vaultlab.root / ".homestack" / "gitops"
    history = subprocess.run(["git", "-C", str(gitops), "log", "-p", "--all"],
                             capture_output=True, text=True, check=True).stdout
    assert history and not any(v in history for v in secrets)


def test_a_key_written_between_plan_and_apply_is_not_overwritten(vaultlab: VaultLab) -> None:
    (vaultlab.root / "stacks" / "app" / "stack.py").write_text(STACK)
    saved = vaultlab.root / "plan.json"
    planned = vaultlab.run("plan", "-o", str(saved))
    assert planned.returncode == 0, planned.stdout + planned.stderr
    vaultlab.server.cli("kv", "put", "secret/app", "deploy_key=written-by-hand")
    done = vaultlab.run("apply", "--yes", str(saved))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "written since the plan" in done.stdout + done.stderr
    assert _kv(vaultlab)["deploy_key"] == "written-by-hand"
