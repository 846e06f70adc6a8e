"""MX, SRV and CAA content parses into its parts and prints back in one canonical form."""

from __future__ import annotations

import pytest

from homestack.model.dns_rdata import Caa, Mx, Srv, parse, parse_caa


def test_each_type_parses_into_its_parts() -> None:
    assert parse("mx", "10 mail.example.org.") == Mx(10, "mail.example.org.")
    assert parse("SRV", "10 5 5060 sip.example.org") == Srv(10, 5, 5060, "sip.example.org")
    assert parse("CAA", '0 issue "letsencrypt.org"') == Caa(0, "issue", "letsencrypt.org")


def test_other_types_have_no_parts() -> None:
    assert parse("TXT", "10 anything at all") is None


def test_a_caa_tag_is_lower_case_and_its_value_always_quoted() -> None:
    assert parse_caa("128 ISSUEWILD letsencrypt.org").text() == (
        '128 issuewild "letsencrypt.org"')


def test_a_quoted_caa_value_keeps_its_spaces_and_escapes() -> None:
    caa = parse_caa(r'0 iodef "mailto:a b\"c@example.org"')
    assert caa.value == 'mailto:a b"c@example.org'
    assert parse_caa(caa.text()) == caa


@pytest.mark.parametrize(("rtype", "content", "why"), [
    ("MX", "\u0661\u0660 mail.example.org", "priority '\u0661\u0660' is not a number"),
    ("MX", "10 mail..example.org", "host 'mail..example.org' is not a host name"),
    ("SRV", "10 5 65536 sip.example.org", "port '65536' is not a number in 0..65535"),
    ("SRV", "10 -5 5060 sip.example.org", "weight '-5' is not a number"),
    ("CAA", '0 issue "letsencrypt.org', "holds spaces or quotes"),
])
def test_malformed_content_says_what_is_wrong(rtype: str, content: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse(rtype, content)
