"""The encrypted-file backend: stock age interop, tamper and wrong-key refusal, atomic files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyrage  # type: ignore[import-untyped]
import pytest

from homestack.state import (
    EncryptedFileStore,
    ResourceRecord,
    StateConfigError,
    StateCorruptError,
    default_identity,
)

from .support import StoreSpec, holder, stack_record

VM = ResourceRecord(address="pve:vm:110", provider_id="110", content_hash="h",
                    outputs={"ip": "10.0.10.5"})


@pytest.fixture
def encrypted(tmp_path: Path, age_key: tuple[Path, str]) -> EncryptedFileStore:
    store = StoreSpec("encrypted", tmp_path, identity=age_key[0], recipient=age_key[1]).open()
    assert isinstance(store, EncryptedFileStore)
    lease = store.acquire("dbaas", holder("r1"))
    store.write_stack(lease, stack_record("dbaas", VM))
    store.release(lease)
    return store


def test_state_file_is_armored_age_in_the_bootstrap_dir(
    encrypted: EncryptedFileStore, tmp_path: Path
) -> None:
    data = (tmp_path / "state" / "dbaas.age").read_bytes()
    assert data.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    assert b"10.0.10.5" not in data
    encrypted.close()


@pytest.mark.skipif(shutil.which("age") is None, reason="the age CLI is not installed")
def test_stock_age_cli_decrypts_the_file(
    encrypted: EncryptedFileStore, tmp_path: Path, age_key: tuple[Path, str]
) -> None:
    out = subprocess.run(["age", "-d", "-i", str(age_key[0]), str(tmp_path / "state" /
                                                                    "dbaas.age")],
                         check=True, capture_output=True)
    body = json.loads(out.stdout)
    assert body["format_version"] == 1
    assert body["record"]["stack"] == "dbaas"
    assert body["record"]["resources"][0]["outputs"] == {"ip": "10.0.10.5"}
    encrypted.close()


def test_tampered_file_is_refused_by_name_and_kept(
    encrypted: EncryptedFileStore, tmp_path: Path
) -> None:
    path = tmp_path / "state" / "dbaas.age"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2][:5] + (b"A" if lines[2][5:6] != b"A" else b"B") + lines[2][6:]
    tampered = b"".join(lines)
    path.write_bytes(tampered)
    with pytest.raises(StateCorruptError, match=r"dbaas\.age.*cannot be decrypted"):
        encrypted.read_stack("dbaas")
    lease = encrypted.acquire("dbaas", holder("r2"), wait=1)
    with pytest.raises(StateCorruptError, match="will not overwrite"):
        encrypted.write_stack(lease, stack_record("dbaas"))
    assert path.read_bytes() == tampered
    encrypted.close()


def test_wrong_key_is_refused_by_name_and_kept(
    encrypted: EncryptedFileStore, tmp_path: Path, age_key: tuple[Path, str]
) -> None:
    other = tmp_path / "other.key"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    path = tmp_path / "state" / "dbaas.age"
    before = path.read_bytes()
    wrong = EncryptedFileStore(tmp_path / "state", recipients=(age_key[1],), identity=other,
                               sidecar=tmp_path / ".homestack" / "bootstrap.db")
    with pytest.raises(StateCorruptError, match=r"dbaas\.age.*not encrypted for this identity"):
        wrong.read_stack("dbaas")
    lease = wrong.acquire("dbaas", holder("r2"), wait=1)
    with pytest.raises(StateCorruptError):
        wrong.write_stack(lease, stack_record("dbaas"))
    assert path.read_bytes() == before
    wrong.close()
    encrypted.close()


def test_writes_leave_no_temp_files(encrypted: EncryptedFileStore, tmp_path: Path) -> None:
    lease = encrypted.acquire("dbaas", holder("r2"), wait=1)
    for _ in range(3):
        encrypted.write_stack(lease, stack_record("dbaas", VM))
    assert sorted(p.name for p in (tmp_path / "state").iterdir()) == ["dbaas.age"]
    encrypted.close()


def test_missing_identity_says_how_to_make_one(tmp_path: Path, age_key: tuple[Path, str],
                                               encrypted: EncryptedFileStore) -> None:
    keyless = EncryptedFileStore(tmp_path / "state", recipients=(age_key[1],),
                                 identity=tmp_path / "nope.key",
                                 sidecar=tmp_path / ".homestack" / "bootstrap.db")
    with pytest.raises(StateConfigError, match=r"nope\.key.*homestack state keygen"):
        keyless.read_stack("dbaas")
    keyless.close()
    encrypted.close()


def test_no_recipients_is_refused_before_writing(tmp_path: Path, age_key: tuple[Path, str]) -> None:
    store = EncryptedFileStore(tmp_path / "state", recipients=(), identity=age_key[0],
                               sidecar=tmp_path / "side.db")
    lease = store.acquire("dbaas", holder("r1"))
    with pytest.raises(StateConfigError, match="no age recipients"):
        store.write_stack(lease, stack_record("dbaas"))
    assert not (tmp_path / "state").exists()
    store.close()


def test_identity_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.setenv("HOMESTACK_AGE_IDENTITY", str(tmp_path / "k"))
    assert default_identity() == tmp_path / "k"
    monkeypatch.delenv("HOMESTACK_AGE_IDENTITY")
    assert default_identity() == Path("~/.config/homestack/age.key").expanduser()
