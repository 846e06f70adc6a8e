"""The bootstrap state through Vault Transit on a real OpenBao: either an age identity or the
Transit key decrypts it, and the stock ``age`` CLI still reads it with the age identity."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyrage  # type: ignore[import-untyped]
import pytest

from homestack.model import StateSettings, TransitSettings, VaultAuth
from homestack.state import ResourceRecord, open_store
from homestack.state.errors import StateConfigError
from homestack_testing.openbao import OpenBaoServer
from tests.state.support import holder, stack_record

VM = ResourceRecord(address="pve:vm:110", provider_id="110", content_hash="h",
                    outputs={"ip": "10.0.10.5"})


@pytest.fixture(scope="module")
def transit(openbao: OpenBaoServer) -> TransitSettings:
    mounts = openbao.request("GET", "sys/mounts")
    if "transit/" not in mounts.get("data", mounts):
        openbao.request("POST", "sys/mounts/transit", {"type": "transit"})
    openbao.request("POST", "transit/keys/homestack-state", {})
    return TransitSettings(address=openbao.address, key="homestack-state",
                           auth=VaultAuth(token_env="HS_TEST_TRANSIT_TOKEN"))


@pytest.fixture
def age_key(tmp_path: Path) -> tuple[Path, str]:
    identity = pyrage.x25519.Identity.generate()
    path = tmp_path / "age.key"
    path.write_text(f"{identity}\n")
    return path, str(identity.to_public())


def _settings(transit: TransitSettings | None, recipients: tuple[str, ...]) -> StateSettings:
    return StateSettings(bootstrap_stacks=("dbaas",), age_recipients=recipients,
                         transit=transit)


def _write(root: Path, settings: StateSettings, identity: Path) -> None:
    store = open_store(root, settings, identity=identity)
    try:
        lease = store.acquire("dbaas", holder("r1"))
        store.write_stack(lease, stack_record("dbaas", VM))
        store.release(lease)
    finally:
        store.close()


def _read_outputs(root: Path, settings: StateSettings, identity: Path) -> dict[str, str]:
    store = open_store(root, settings, identity=identity)
    try:
        record = store.read_stack("dbaas")
        assert record is not None
        return dict(record.resources[0].outputs)
    finally:
        store.close()


@pytest.fixture
def written(tmp_path: Path, openbao: OpenBaoServer, transit: TransitSettings,
            age_key: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HS_TEST_TRANSIT_TOKEN", openbao.token)
    root = tmp_path / "lab"
    _write(root, _settings(transit, (age_key[1],)), tmp_path / "no-such.key")
    return root


def test_age_identity_alone_decrypts(written: Path, age_key: tuple[Path, str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HS_TEST_TRANSIT_TOKEN")  # Vault is not needed at all
    assert _read_outputs(written, _settings(None, (age_key[1],)), age_key[0]) == {
        "ip": "10.0.10.5"}


def test_transit_alone_decrypts(written: Path, transit: TransitSettings, tmp_path: Path,
                                age_key: tuple[Path, str]) -> None:
    outputs = _read_outputs(written, _settings(transit, (age_key[1],)), tmp_path / "none.key")
    assert outputs == {"ip": "10.0.10.5"}
    wrapped = (written / "state" / ".transit-identity").read_text()
    assert wrapped.startswith("vault:v1:") and "AGE-SECRET-KEY" not in wrapped


@pytest.mark.skipif(shutil.which("age") is None, reason="the age CLI is not installed")
def test_stock_age_cli_still_reads_the_file(written: Path, age_key: tuple[Path, str]) -> None:
    out = subprocess.run(["age", "-d", "-i", str(age_key[0]),
                          str(written / "state" / "dbaas.age")], check=True, capture_output=True)
    assert json.loads(out.stdout)["record"]["stack"] == "dbaas"


def test_transit_only_state_needs_no_age_recipient(
        tmp_path: Path, openbao: OpenBaoServer, transit: TransitSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HS_TEST_TRANSIT_TOKEN", openbao.token)
    root = tmp_path / "lab"
    nokey = tmp_path / "none.key"
    _write(root, _settings(transit, ()), nokey)
    assert _read_outputs(root, _settings(transit, ()), nokey) == {"ip": "10.0.10.5"}


def test_without_a_vault_login_transit_cannot_decrypt(
        written: Path, transit: TransitSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HS_TEST_TRANSIT_TOKEN", "not-a-token")
    store = open_store(written, _settings(transit, ()), identity=tmp_path / "none.key")
    try:
        with pytest.raises(StateConfigError, match="Vault Transit"):
            store.read_stack("dbaas")
    finally:
        store.close()
