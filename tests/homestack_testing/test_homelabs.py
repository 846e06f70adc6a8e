"""A copy of a homelab leaves out what runs left in it (bin/main applies the examples in place)."""

from __future__ import annotations

from pathlib import Path

from homestack_testing.homelabs import copy_homelab


def test_a_copy_starts_clean_and_keeps_the_homelab(tmp_path: Path) -> None:
    source = tmp_path / "lab"
    for relative in ("site.py", "stacks/app/stack.py", "stacks/app/values.yaml",
                     ".homestack/state.db", "state/infra.age", "state/README",
                     "stacks/app/__pycache__/stack.cpython-311.pyc"):
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text("x")
    target = tmp_path / "copy"
    (target / "stale").mkdir(parents=True)
    copy_homelab(source, target)
    kept = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert kept == ["site.py", "stacks/app/stack.py", "stacks/app/values.yaml", "state/README"]
