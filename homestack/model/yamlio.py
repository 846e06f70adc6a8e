"""YAML in and out through libyaml when PyYAML has it (several times faster than pure Python).

Only safe loading and dumping: no Python tags either way.
"""

from __future__ import annotations

from typing import Any

import yaml

YAMLError = yaml.YAMLError
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Dumper(_BaseDumper):  # type: ignore[valid-type, misc]
    """Block style, multi-line strings as literal blocks, never anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


Dumper.add_representer(str, _str_presenter)


def load(text: str) -> Any:
    """Parse one YAML document."""
    return yaml.load(text, Loader=_Loader)


def load_all(text: str) -> list[Any]:
    """Parse every document of a YAML stream (empty ones included as None)."""
    return list(yaml.load_all(text, Loader=_Loader))


def dump(body: Any) -> str:
    """Sorted keys, block style, no aliases: byte-stable for equal input."""
    return yaml.dump(body, Dumper=Dumper, sort_keys=True, default_flow_style=False, width=1000)
