"""URL credentials are masked whatever the URL's shape; plain text is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    ("postgresql:/hs:SEKRIT@127.0.0.1/db", "SEKRIT"),
    ("postgresql:hs:SEKRIT@127.0.0.1/db", "SEKRIT"),
    ("cannot connect to hs:SEKRIT@host/db", "SEKRIT"),
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


def test_an_image_digest_is_no_password() -> None:
    text = "image docker.io/library/nginx:1.27@sha256:0123abcd and nginx:1.27@sha256:ab"
    assert redact(text) == text and not has_userinfo_secret(text)


PREFIXES = ["", "postgresql:", "postgresql:/", "postgresql://", "postgresql//",
            "postgres+psycopg://", "mysql:", "redis://", "https://", "amqp:"]
# What a password may hold inside one token: no blank, no quote.
PASSWORD_TAIL = st.text(st.characters(blacklist_categories=("Z", "C"),
                                      blacklist_characters="'\"<>`"), max_size=16)


@settings(max_examples=400, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), user=st.from_regex(r"[a-z][a-z0-9_.-]{0,7}",
                                                             fullmatch=True),
       tail=PASSWORD_TAIL, host=st.from_regex(r"[a-z0-9.-]{1,12}(:[0-9]{2,5})?/[a-z]{0,6}",
                                              fullmatch=True),
       before=st.sampled_from(["", "error: ", "url=", "(", "'", "connecting to "]),
       after=st.sampled_from(["", " refused", "'", ")", ", retrying"]))
def test_a_password_never_survives_redaction_whatever_the_url_shape(
        prefix: str, user: str, tail: str, host: str, before: str, after: str) -> None:
    password = "SEKRIT" + tail
    text = f"{before}{prefix}{user}:{password}@{host}{after}"
    shown = redact(text)
    assert password not in shown, (text, shown)
    assert has_userinfo_secret(text)
