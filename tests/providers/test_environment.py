"""Credentials come from environment variables the Site names; a missing one is named."""

from __future__ import annotations

import pytest

from homestack.providers.environment import required_env
from homestack.providers.errors import ProviderConfigError


def test_a_set_variable_gives_its_value() -> None:
    assert required_env("HS_TOKEN", what="a token", subject="x", hint="h",
                        environ={"HS_TOKEN": "abc"}) == "abc"


@pytest.mark.parametrize("environ", [{}, {"HS_TOKEN": ""}])
def test_an_unset_or_empty_variable_is_named_with_what_it_holds(environ: dict[str, str]) -> None:
    with pytest.raises(ProviderConfigError) as raised:
        required_env("HS_TOKEN", what="the API token", subject="dns:cloudflare",
                     hint="export HS_TOKEN=...", environ=environ)
    assert "$HS_TOKEN is not set (the API token)" in str(raised.value)
    assert raised.value.subject == "dns:cloudflare"
