"""kubeconfig loading as kubectl does it: ``KUBECONFIG`` (a path list, merged first-wins),
else ``~/.kube/config``; ``--context`` picks the context, else ``current-context``.

Authentication (client certificates, tokens, exec plugins such as OIDC login) is lightkube's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from lightkube.config.kubeconfig import KubeConfig, SingleConfig

from homestack.model import ModelError
from homestack.providers.errors import ProviderConfigError

_NAMED_LISTS = ("clusters", "contexts", "users")


def kubeconfig_paths(explicit: str | None = None) -> list[Path]:
    """The files kubectl would read, in precedence order."""
    if explicit:
        return [Path(explicit).expanduser()]
    env = os.environ.get("KUBECONFIG")
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    return [Path("~/.kube/config").expanduser()]


def merged_config(paths: list[Path]) -> dict[str, Any]:
    """Merge kubeconfig files: the first file to define a name or current-context wins.

    Relative certificate paths stay relative to the file that named them.
    """
    merged: dict[str, Any] = {name: [] for name in _NAMED_LISTS}
    seen: dict[str, set[str]] = {name: set() for name in _NAMED_LISTS}
    for path in paths:
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text()) or {}
        for section in _NAMED_LISTS:
            for entry in data.get(section) or []:
                if entry.get("name") not in seen[section]:
                    seen[section].add(entry["name"])
                    merged[section].append(_absolute(entry, path.parent))
        if "current-context" not in merged and data.get("current-context"):
            merged["current-context"] = data["current-context"]
    if not any(merged[s] for s in _NAMED_LISTS):
        shown = ", ".join(str(p) for p in paths)
        raise ProviderConfigError(f"no kubeconfig found (looked at {shown})",
                                  hint="Set KUBECONFIG, or name the file in the Site: "
                                       "Cluster(kubeconfig=...)")
    return merged


def _absolute(entry: dict[str, Any], base: Path) -> dict[str, Any]:
    body = dict(entry)
    for section in ("cluster", "user"):
        inner = body.get(section)
        if not isinstance(inner, dict):
            continue
        fixed = dict(inner)
        for key in ("certificate-authority", "client-certificate", "client-key", "tokenFile"):
            value = fixed.get(key)
            if isinstance(value, str) and not os.path.isabs(value):
                fixed[key] = str(base / value)
        body[section] = fixed
    return body


def load_config(kubeconfig: str | None = None, context: str | None = None) -> SingleConfig:
    """The lightkube configuration for ``context`` (default: current-context)."""
    merged = merged_config(kubeconfig_paths(kubeconfig))
    name = context or merged.get("current-context")
    names = [c["name"] for c in merged["contexts"]]
    if context and context not in names:  # a name the user gave: invalid input
        raise ModelError(f"kubeconfig context {context!r} not found", subject="context",
                         hint="Known contexts: " + (", ".join(names) or "none"))
    if not name or name not in names:
        raise ProviderConfigError(
            f"kubeconfig context {name!r} not found",
            hint="Known contexts: " + (", ".join(names) or "none"),
        )
    config = KubeConfig.from_dict(merged).get(context_name=name)
    if config is None:  # pragma: no cover - the name was checked above
        raise ProviderConfigError(f"kubeconfig context {name!r} is incomplete")
    return config
