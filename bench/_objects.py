"""The homelab's rendered and governed objects by Stack, for the tools compared side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homestack.catalog import load
from homestack.engine import desired


def objects_by_stack(root: Path) -> dict[str, list[dict[str, Any]]]:
    """Every Resource's address and body, Stack by Stack in name order."""
    wanted = desired(load(root))
    return {stack: [{"address": r.address, "provider": r.provider.value, "body": r.body}
                    for r in wanted.resources[stack]]
            for stack in sorted(wanted.resources)}


def write_objects(root: Path, out: Path) -> dict[str, int]:
    """Write ``objects_by_stack`` as JSON to ``out``; return the count per Stack."""
    objects = objects_by_stack(root)
    out.write_text(json.dumps(objects), encoding="utf-8")
    return {stack: len(items) for stack, items in objects.items()}
