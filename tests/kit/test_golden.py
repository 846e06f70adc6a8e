"""Golden tests: each ``golden/<case>.py`` stack renders exactly ``golden/<case>.yaml``.

Set ``HOMESTACK_UPDATE_GOLDEN=1`` to rewrite the YAML after an intended change, then review the
diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.kit.support import GOLDEN, SITE, dump, load_stack

CASES = sorted(GOLDEN.glob("*.py"))
UPDATE = os.environ.get("HOMESTACK_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_stack_renders_its_golden_yaml(case: Path) -> None:
    rendered = dump(load_stack(case).render(SITE))
    expected = case.with_suffix(".yaml")
    if UPDATE:
        expected.write_text(rendered)
    assert expected.is_file(), f"run with HOMESTACK_UPDATE_GOLDEN=1 to create {expected.name}"
    assert rendered == expected.read_text()


def test_every_golden_yaml_has_a_case() -> None:
    stacks = {p.stem for p in CASES}
    assert {p.stem for p in GOLDEN.glob("*.yaml")} <= stacks
