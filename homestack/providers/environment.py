"""Credentials from the environment: the Site names variables, never holds their values."""

from __future__ import annotations

import os
from collections.abc import Mapping

from homestack.providers.errors import ProviderConfigError


def required_env(name: str, *, what: str, subject: str, hint: str,
                 environ: Mapping[str, str] | None = None) -> str:
    """The value of the variable ``name``; unset or empty is a configuration error that names
    the variable and ``what`` it should hold."""
    value = (os.environ if environ is None else environ).get(name, "")
    if not value:
        raise ProviderConfigError(f"${name} is not set ({what})", subject=subject, hint=hint)
    return value
