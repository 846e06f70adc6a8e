"""Secret references are checked against a real OpenBao at plan time."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
