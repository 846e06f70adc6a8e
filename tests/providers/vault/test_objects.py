"""Policies, auth roles and generated secrets on a real OpenBao: apply, idempotence, drift,
prune, and values that never leave OpenBao."""

from __future__ import annotations

import sqlite3
import subprocess
import urllib.error
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.providers.vault.conftest import VaultLab

PLANTED = "planted-value-8f3k2"


def _applied(lab: VaultLab) -> None:
    lab.server.cli("kv", "put", "secret/app", f"token={PLANTED}")
    done = lab.run("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr


def test_apply_creates_policy_and_role_then_plan_is_empty(vaultlab: VaultLab) -> None:
    _applied(vaultlab)
    policy = vaultlab.server.request("GET", "sys/policies/acl/homestack-app")["data"]["policy"]
    assert 'path "secret/data/app"' in policy
    role = vaultlab.server.request("GET", "auth/kubernetes/role/app")["data"]
    assert role["bound_service_account_namespaces"] == ["app"]
    assert role["token_policies"] == ["homestack-app"]
    again = vaultlab.run("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr


def test_generated_secret_is_created_once_and_kept(vaultlab: VaultLab) -> None:
    _applied(vaultlab)
    first = vaultlab.server.request("GET", "secret/data/app")["data"]
    value = first["data"]["admin_password"]
    assert len(value) == 24
    assert first["data"]["token"] == PLANTED  # the other key survived the generated write
    assert vaultlab.run("apply", "--yes").returncode == 0
    assert vaultlab.server.request("GET", "secret/data/app")["data"]["data"][
        "admin_password"] == value


def test_hand_edited_policy_shows_as_drift(vaultlab: VaultLab) -> None:
    _applied(vaultlab)
    policy = vaultlab.server.request("GET", "sys/policies/acl/homestack-app")["data"]["policy"]
    vaultlab.server.request("POST", "sys/policies/acl/homestack-app",
                            {"policy": policy + 'path "secret/data/*" { capabilities = ["read"] }'})
    done = vaultlab.run("drift", "--json")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "vault:policy:homestack-app" in done.stdout
    assert "drift: changed outside Homestack" in done.stdout
    assert vaultlab.run("apply", "--yes").returncode == 0
    assert vaultlab.run("drift").returncode == 0


def test_policy_and_role_leaving_the_stack_are_pruned(vaultlab: VaultLab) -> None:
    _applied(vaultlab)
    stack = vaultlab.root / "stacks" / "app" / "stack.py"
    text = stack.read_text()
    stack.write_text(text.split("admin = ")[0] + "\n")
    done = vaultlab.run("apply", "--yes", "--allow-data-loss")
    assert done.returncode == 0, done.stdout + done.stderr
    listed = vaultlab.server.request("LIST", "sys/policies/acl")["data"]["keys"]
    assert "homestack-app" not in listed
    try:
        roles = vaultlab.server.request("LIST", "auth/kubernetes/role")["data"]["keys"]
    except urllib.error.HTTPError as exc:  # 404: no role at all is left
        assert exc.code == 404
        roles = []
    assert "app" not in roles
    assert "admin_password" not in vaultlab.server.request("GET", "secret/data/app")["data"][
        "data"]


def test_generated_key_is_kept_without_allow_data_loss(vaultlab: VaultLab) -> None:
    _applied(vaultlab)
    stack = vaultlab.root / "stacks" / "app" / "stack.py"
    stack.write_text(stack.read_text().replace(
        'admin = generated_secret(stack, "secret/app#admin_password", length=24)',
        'admin = "secret/app#token"'))
    done = vaultlab.run("apply", "--yes")
    assert done.returncode == 1
    assert "admin_password" in vaultlab.server.request("GET", "secret/data/app")["data"]["data"]


def test_policy_not_made_by_homestack_is_refused(vaultlab: VaultLab) -> None:
    vaultlab.server.request("POST", "sys/policies/acl/homestack-app",
                            {"policy": 'path "secret/data/x" { capabilities = ["read"] }'})
    vaultlab.server.cli("kv", "put", "secret/app", f"token={PLANTED}")
    done = vaultlab.run("plan")
    assert done.returncode == 1
    assert "was not made by Homestack" in done.stdout + done.stderr
    vaultlab.server.request("DELETE", "sys/policies/acl/homestack-app")


def test_secret_values_appear_nowhere_but_in_openbao(vaultlab: VaultLab) -> None:
    _applied(vaultlab)
    value = vaultlab.server.request("GET", "secret/data/app")["data"]["data"]["admin_password"]
    outputs = [vaultlab.run(*args) for args in (("plan", "--json"), ("plan",), ("drift",),
                                                ("apply", "--yes", "--json"))]
    for planted in (PLANTED, value):
        for done in outputs:
            assert planted not in done.stdout + done.stderr
        for path in vaultlab.root.rglob("*"):
            if path.is_file():
                assert planted.encode() not in path.read_bytes(), path
    with sqlite3.connect(vaultlab.root / ".homestack" / "state.db") as db:
        rows = [str(row) for table in ("resources", "stacks") for row in
                db.execute(f"SELECT * FROM {table}")]
    assert rows and not any(PLANTED in row or value in row for row in rows)
    gitops = vaultlab.root / ".homestack" / "gitops"
    history = subprocess.run(["git", "-C", str(gitops), "log", "-p", "--all"],
                             capture_output=True, text=True, check=True).stdout
    assert history and PLANTED not in history and value not in history


def test_raising_generation_rotates_the_generated_secret_once(vaultlab: VaultLab) -> None:
    _applied(vaultlab)
    before = vaultlab.server.request("GET", "secret/data/app")["data"]["data"]["admin_password"]
    stack = vaultlab.root / "stacks" / "app" / "stack.py"
    stack.write_text(stack.read_text().replace("length=24)", "length=24, generation=2)"))
    planned = vaultlab.run("plan", "--json")
    assert '"generation 1 -> 2 (rotate)"' in planned.stdout
    assert vaultlab.run("apply", "--yes").returncode == 0
    after = vaultlab.server.request("GET", "secret/data/app")["data"]["data"]["admin_password"]
    assert after != before and len(after) == 24
    assert vaultlab.run("plan", "--detailed-exitcode").returncode == 0
