"""The first apply of a fresh homelab creates its own age identity instead of locking it out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app
from homestack.model.state_settings import StateSettings
from homestack.state import StateConfigError, generate_identity, open_store
from homestack_testing.homelabs import copy_homelab

from .support import holder, stack_record


@pytest.fixture
def no_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with no age key anywhere: no variable, an empty home."""
    monkeypatch.delenv("HOMESTACK_AGE_IDENTITY", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def _someone_elses_key(tmp_path: Path) -> str:
    return generate_identity(tmp_path / "elsewhere" / "age.key")


def test_first_open_creates_a_private_git_ignored_identity(
    tmp_path: Path, no_identity: Path
) -> None:
    root = tmp_path / "lab"
    settings = StateSettings(bootstrap_stacks=("dbaas",),
                             age_recipients=(_someone_elses_key(tmp_path),))
    store = open_store(root, settings)
    lease = store.acquire("dbaas", holder("first"))
    store.write_stack(lease, stack_record("dbaas"))
    store.release(lease)
    store.close()
    key = root / ".homestack" / "age.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert "age.key" in (root / ".homestack" / ".gitignore").read_text().split()
    again = open_store(root, settings)
    try:
        record = again.read_stack("dbaas")
    finally:
        again.close()
    assert record is not None and record.revision == 1


def test_a_missing_named_identity_is_refused_before_anything_is_written(
    tmp_path: Path, no_identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMESTACK_AGE_IDENTITY", str(tmp_path / "typo.key"))
    root = tmp_path / "lab"
    settings = StateSettings(bootstrap_stacks=("dbaas",), age_recipients=("age1x",))
    with pytest.raises(StateConfigError, match="homestack state keygen -o"):
        open_store(root, settings)
    assert not root.exists()


def _bootstrapped(root: Path, small_homelab: Path, tmp_path: Path) -> None:
    copy_homelab(small_homelab, root)
    site = root / "site.py"
    other = _someone_elses_key(tmp_path)
    text = site.read_text().replace("    Site,\n", "    Site,\n    StateSettings,\n")
    site.write_text(text.replace(
        '    trusted_registries=',
        f'    state=StateSettings(bootstrap_stacks=("platform",), age_recipients=("{other}",)),\n'
        '    trusted_registries='))


def test_apply_then_plan_on_a_fresh_machine_reads_its_own_state(
    tmp_path: Path, no_identity: Path, small_homelab: Path
) -> None:
    root = tmp_path / "lab"
    _bootstrapped(root, small_homelab, tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["-C", str(root), "apply", "--yes"])
    assert first.exit_code == 0, first.output
    assert (root / "state" / "platform.age").is_file()
    plan = runner.invoke(app, ["-C", str(root), "plan", "--detailed-exitcode"])
    assert plan.exit_code == 0, plan.output
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--ignored",
                             "--untracked-files=all"], capture_output=True, text=True,
                            check=True).stdout
    assert "?? .homestack/age.key" not in status


@pytest.mark.parametrize("command", [("plan",), ("drift",)])
def test_a_command_that_only_reads_never_makes_a_key(
    tmp_path: Path, no_identity: Path, small_homelab: Path, command: tuple[str, ...]
) -> None:
    root = tmp_path / "lab"
    _bootstrapped(root, small_homelab, tmp_path)
    done = CliRunner().invoke(app, ["-C", str(root), *command])
    assert done.exit_code in (0, 2), done.output
    assert not (root / ".homestack" / "age.key").exists()
    assert not (no_identity / ".config" / "homestack" / "age.key").exists()


def test_reading_encrypted_state_without_a_key_names_what_to_do(
    tmp_path: Path, no_identity: Path, small_homelab: Path
) -> None:
    root = tmp_path / "lab"
    _bootstrapped(root, small_homelab, tmp_path)
    assert CliRunner().invoke(app, ["-C", str(root), "apply", "--yes"]).exit_code == 0
    (root / ".homestack" / "age.key").unlink()  # another machine: the state, not the key
    done = CliRunner().invoke(app, ["-C", str(root), "plan"])
    assert done.exit_code != 0
    assert "age" in done.output and "Traceback" not in done.output
    assert not (root / ".homestack" / "age.key").exists()
