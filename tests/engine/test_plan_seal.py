"""A sealed plan cannot be edited: any change to its JSON (a field, a dropped, duplicated or
reordered change) breaks the seal, and a plan sealed for another homelab's state is refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homestack.engine import check_seal, plan_to_json, seal
from homestack.engine.plan_seal import SCOPE, homelab_id
from homestack.model import ModelError
from homestack.state import SqliteStore
from tests.conftest import SMALL_HOMELAB
from tests.engine.memory_lab import MemoryLab


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], SqliteStore]:
    lab = MemoryLab(SMALL_HOMELAB, tmp_path_factory.mktemp("seal"))
    lab.apply()
    lab.extra["whoami"] = []
    data = seal(plan_to_json(lab.plan(confirm=False), lab.targets(), lab.homelab.site.name),
                lab.store)
    return json.loads(json.dumps(data)), lab.store


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def _other(value: Any, salt: int) -> Any:
    """A value of another kind or content than ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1 + salt
    if isinstance(value, str):
        return "delete" if salt % 2 and value != "delete" else value + "x"
    if value is None:
        return 0
    return None


@st.composite
def tamperings(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    twisted = copy.deepcopy(data)
    stacks = [s for s in twisted["stacks"] if s["changes"]]
    kind = draw(st.sampled_from(["field", "drop", "duplicate", "reorder", "add-key"]))
    if kind == "field":
        leaves = [p for p in _leaves(twisted) if p and p[0] != "seal"]
        path = draw(st.sampled_from(leaves))
        parent = _at(twisted, path[:-1])
        parent[path[-1]] = _other(parent[path[-1]], draw(st.integers(0, 5)))
    elif kind == "add-key":
        twisted[draw(st.sampled_from(["extra", "approved", "permissions2"]))] = True
    else:
        stack = draw(st.sampled_from(stacks))
        changes = stack["changes"]
        index = draw(st.integers(0, len(changes) - 1))
        if kind == "drop":
            changes.pop(index)
        elif kind == "duplicate":
            changes.insert(index, copy.deepcopy(changes[index]))
        else:
            distinct = [i for i, c in enumerate(changes) if c != changes[index]]
            if not distinct:
                changes.pop(index)  # one change only: dropping it is the reordering left
            else:
                other = draw(st.sampled_from(distinct))
                changes[index], changes[other] = changes[other], changes[index]
    return twisted


def test_an_untouched_plan_passes_and_key_order_does_not_matter(
        sealed: tuple[dict[str, Any], SqliteStore]) -> None:
    data, store = sealed
    check_seal(data, store, "PLAN.json")
    check_seal(dict(reversed(list(data.items()))), store, "PLAN.json")
    assert data["homelab"] == homelab_id(store) != ""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_tampering_breaks_the_seal(sealed: tuple[dict[str, Any], SqliteStore],
                                         draw: st.DataObject) -> None:
    data, store = sealed
    twisted = draw.draw(tamperings(data))
    assert twisted != data
    with pytest.raises(ModelError, match=r"modified|homelab"):
        check_seal(twisted, store, "PLAN.json")


def test_a_plan_sealed_for_another_homelab_is_refused(
        sealed: tuple[dict[str, Any], SqliteStore], tmp_path: Path) -> None:
    data, _ = sealed
    elsewhere = SqliteStore(tmp_path / "other.db")
    seal({"format": "x"}, elsewhere)  # that homelab saved a plan once: it has its own key
    with pytest.raises(ModelError, match="modified"):
        check_seal(data, elsewhere, "PLAN.json")


def test_a_homelab_that_never_saved_a_plan_refuses_one_and_makes_no_key(
        sealed: tuple[dict[str, Any], SqliteStore], tmp_path: Path) -> None:
    data, _ = sealed
    fresh = SqliteStore(tmp_path / "fresh.db")
    with pytest.raises(ModelError, match="never saved a plan"):
        check_seal(data, fresh, "PLAN.json")
    assert fresh.read_marks(SCOPE) == {}


def test_a_plan_without_a_seal_is_refused(sealed: tuple[dict[str, Any], SqliteStore]) -> None:
    data, store = sealed
    with pytest.raises(ModelError, match="no seal"):
        check_seal({k: v for k, v in data.items() if k != "seal"}, store, "PLAN.json")


def test_the_key_is_made_once(sealed: tuple[dict[str, Any], SqliteStore]) -> None:
    _, store = sealed
    before = store.read_marks(SCOPE)
    seal({"format": "y"}, store)
    assert store.read_marks(SCOPE) == before
