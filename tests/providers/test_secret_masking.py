"""A planted Secret value never reaches plans, diffs, JSON output or recorded state."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from homestack.model.changeset_codec import changeset_to_json

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

PLANTED = "planted-9c1e77b2d4"


def _plant(lab: KubeLab, value: str) -> None:
    path = lab.root / "stacks" / "base" / "stack.py"
    path.write_text(path.read_text() + f'''
raw(stack, {{"apiVersion": "v1", "kind": "Secret", "metadata": {{"name": "token"}},
            "stringData": {{"token": "{value}"}}}})
''')


def _all_bytes(lab: KubeLab) -> bytes:
    return b"".join(p.read_bytes() for p in (lab.root / ".homestack").rglob("*") if p.is_file())


def test_planted_secret_is_masked_everywhere(kubelab: KubeLab) -> None:
    _plant(kubelab, PLANTED)
    planned = kubelab.plan()
    text = json.dumps(changeset_to_json(planned))
    assert PLANTED not in text
    assert "<secret: " in text
    applied = kubelab.apply()
    assert not applied.failed, [s.error for s in applied.failed]
    assert PLANTED not in json.dumps(changeset_to_json(applied))
    assert PLANTED.encode() not in _all_bytes(kubelab)
    # a changed value is reported as changed, still without the value
    path = kubelab.root / "stacks" / "base" / "stack.py"
    path.write_text(path.read_text().replace(PLANTED, PLANTED + "-v2"))
    again = kubelab.plan()
    [change] = [c for s in again.stacks for c in s.changes
                if c.address.kind == "Secret" and c.action.is_change]
    assert PLANTED not in change.diff
    assert "secret" in change.diff
