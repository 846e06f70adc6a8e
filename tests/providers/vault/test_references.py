"""Secret references are checked against a real OpenBao at plan time."""

from __future__ import annotations

import urllib.error
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.providers.vault.conftest import VaultLab


def test_missing_secret_fails_plan_naming_the_stack_line(vaultlab: VaultLab) -> None:
    vaultlab.write_stack(token_ref="secret/nope#password")
    done = vaultlab.run("plan")
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "secret/nope#password" in out
    assert "stack.py:7" in out  # the external_secret line
    assert vaultlab.server.request("GET", "sys/policies/acl?list=true")["data"]["keys"].count(
        "homestack-app") == 0


def test_present_secret_plans_and_applies(vaultlab: VaultLab) -> None:
    vaultlab.server.cli("kv", "put", "secret/app", "token=planted-value-123")
    done = vaultlab.run("plan")
    assert done.returncode == 0, done.stdout + done.stderr
    applied = vaultlab.run("apply", "--yes")
    assert applied.returncode == 0, applied.stdout + applied.stderr


def test_validate_checks_references_unless_offline(vaultlab: VaultLab) -> None:
    vaultlab.write_stack(token_ref="secret/nope#password")
    done = vaultlab.run("validate")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "secret/nope#password" in done.stdout
    offline = vaultlab.run("validate", "--offline")
    assert offline.returncode == 0, offline.stdout + offline.stderr


def test_missing_key_in_an_existing_path_fails_plan(vaultlab: VaultLab) -> None:
    vaultlab.server.cli("kv", "put", "secret/app", "other=1")
    done = vaultlab.run("plan", "--json")
    assert done.returncode == 1
    assert "has no key 'token'" in done.stdout


def test_apply_with_a_missing_reference_applies_nothing(vaultlab: VaultLab) -> None:
    vaultlab.write_stack(token_ref="secret/nope#password")
    done = vaultlab.run("apply", "--yes")
    assert done.returncode == 1
    assert "stack.py:7" in done.stdout + done.stderr
    assert not (vaultlab.root / ".homestack" / "gitops" / "stacks" / "app").exists()
    with pytest.raises(urllib.error.HTTPError) as gone:  # the generated key was not written
        vaultlab.server.request("GET", "secret/data/app")
    assert gone.value.code == 404
