"""The field manager name is defined once, in the model, and every user reads that constant."""

from __future__ import annotations

from pathlib import Path

from homestack.kit import _meta
from homestack.model import annotations
from homestack.policy import _generate
from homestack.providers.kubernetes import compare, inventory

PACKAGE = Path(__file__).resolve().parents[2] / "homestack"


def test_every_user_reads_the_one_constant() -> None:
    assert annotations.FIELD_MANAGER == "homestack"
    for value in (compare.FIELD_MANAGER, inventory.MANAGER, _generate.MANAGER,
                  _meta.MANAGED_BY_VALUE):
        assert value is annotations.FIELD_MANAGER


def test_the_name_is_written_once_as_a_manager() -> None:
    hits = [path for path in PACKAGE.rglob("*.py")
            if 'MANAGER = "homestack"' in path.read_text()
            or 'field_manager="homestack"' in path.read_text()
            or 'MANAGED_BY_VALUE = "homestack"' in path.read_text()]
    assert [p.relative_to(PACKAGE).as_posix() for p in hits] == ["model/annotations.py"]
