"""URL credentials are masked whatever the URL's shape; plain text is left alone."""

from __future__ import annotations

import pytest

from homestack.model.redact import has_userinfo_secret, redact


@pytest.mark.parametrize(("text", "secret"), [
    ("postgresql://hs:SEKRIT@db/x", "SEKRIT"),
    ("postgresql://hs:SEKRIT/PW@db:5432/x", "SEKRIT/PW"),
    ("postgresql://hs:SE@KRIT@db/x", "SE@KRIT"),
    ("postgresql//hs:SEKRIT@db/x", "SEKRIT"),
    ("failed: 'redis://:SEKRIT@cache:6379/0' refused", "SEKRIT"),
    ("https://SEKRITTOKEN@github.com/org/repo.git", "SEKRITTOKEN"),
    ("host=db user=hs password=SEKRIT port=5432", "SEKRIT"),
    ("dbname=x password='SEKRIT PW'", "SEKRIT PW"),
])
def test_credentials_are_masked(text: str, secret: str) -> None:
    shown = redact(text)
    assert secret not in shown
    assert "***" in shown


def test_plain_text_and_urls_without_credentials_are_unchanged() -> None:
    text = "see https://example.org/a/b and postgresql://db/x for ratio 3:4"
    assert redact(text) == text


def test_explicit_secrets_are_masked_too() -> None:
    assert redact("port 'SEKRIT' invalid", "SEKRIT") == "port '***' invalid"


def test_userinfo_with_a_password_is_recognised() -> None:
    assert has_userinfo_secret("postgres://u:p@h/d")
    assert not has_userinfo_secret("https://user@host/x")
    assert not has_userinfo_secret("https://example.org")
