"""MX, SRV and CAA through the Cloudflare backend: written as priority / data, read back into
presentation form, so an applied record plans as unchanged and a changed part as an update."""

from __future__ import annotations

from typing import Any

import pytest

from homestack.model.changeset import Action
from homestack.providers.dns import DnsTarget
from homestack.providers.errors import InvalidError
from homestack_testing.cloudflare import CloudflareApi

from .conftest import actions, apply, plan, record

MX = record("cloudflare", "MX", "example.org", "10 mail.example.org")
SRV = record("cloudflare", "SRV", "_sip._tcp.example.org", "10 5 5060 sip.example.org")
CAA = record("cloudflare", "CAA", "example.org", '0 issue "letsencrypt.org"')


def _stored(api: CloudflareApi, rtype: str) -> dict[str, Any]:
    [found] = [r for r in api.records("example.org") if r["type"] == rtype]
    return found


def test_mx_is_written_as_host_and_priority(public: DnsTarget,
                                            cloudflare_api: CloudflareApi) -> None:
    assert apply(public, "mail", [MX])[0].action is Action.CREATE
    stored = _stored(cloudflare_api, "MX")
    assert (stored["content"], stored["priority"]) == ("mail.example.org", 10)


def test_srv_is_written_as_data(public: DnsTarget, cloudflare_api: CloudflareApi) -> None:
    apply(public, "voip", [SRV])
    stored = _stored(cloudflare_api, "SRV")
    assert stored["data"] == {"priority": 10, "weight": 5, "port": 5060,
                              "target": "sip.example.org"}
    assert stored["content"] == "5 5060 sip.example.org"


def test_caa_is_written_as_data(public: DnsTarget, cloudflare_api: CloudflareApi) -> None:
    apply(public, "certs", [CAA])
    assert _stored(cloudflare_api, "CAA")["data"] == {"flags": 0, "tag": "issue",
                                                      "value": "letsencrypt.org"}


@pytest.mark.parametrize("wanted", [
    MX, SRV, CAA,
    record("cloudflare", "MX", "example.org", "10 Mail.Example.org."),
    record("cloudflare", "SRV", "_sip._tcp.example.org", "10 5 5060 sip.example.org."),
    record("cloudflare", "CAA", "example.org", "0 ISSUE letsencrypt.org"),
    record("cloudflare", "MX", "example.org", "0 ."),
], ids=["mx", "srv", "caa", "mx-dot-case", "srv-dot", "caa-unquoted", "null-mx"])
def test_an_applied_record_plans_as_unchanged(public: DnsTarget, wanted: Any) -> None:
    apply(public, "web", [wanted])
    assert actions(plan(public, "web", [wanted])) == {str(wanted.typed_address): "unchanged"}


@pytest.mark.parametrize(("before", "after", "check"), [
    (MX, "20 mail.example.org", ("priority", 20)),
    (MX, "10 mx.example.org", ("content", "mx.example.org")),
    (SRV, "20 5 5060 sip.example.org", ("data", {"priority": 20, "weight": 5, "port": 5060,
                                                 "target": "sip.example.org"})),
    (SRV, "10 7 5060 sip.example.org", ("content", "7 5060 sip.example.org")),
    (SRV, "10 5 5061 sip.example.org", ("content", "5 5061 sip.example.org")),
    (SRV, "10 5 5060 voip.example.org", ("content", "5 5060 voip.example.org")),
    (CAA, '128 issue "letsencrypt.org"', ("data", {"flags": 128, "tag": "issue",
                                                   "value": "letsencrypt.org"})),
    (CAA, '0 issuewild "letsencrypt.org"', ("content", '0 issuewild "letsencrypt.org"')),
    (CAA, '0 issue "pki.goog"', ("content", '0 issue "pki.goog"')),
], ids=["mx-priority", "mx-host", "srv-priority", "srv-weight", "srv-port", "srv-target",
        "caa-flags", "caa-tag", "caa-value"])
def test_a_changed_part_is_an_update(public: DnsTarget, cloudflare_api: CloudflareApi,
                                     before: Any, after: str,
                                     check: tuple[str, object]) -> None:
    apply(public, "web", [before])
    changed = record("cloudflare", before.body["type"], before.name, after)
    changes = apply(public, "web", [changed])
    assert changes[0].action is Action.UPDATE
    assert changes[0].fields == (f"content: {before.body['content']} → {after}",)
    field, value = check
    assert _stored(cloudflare_api, before.body["type"])[field] == value
    assert actions(plan(public, "web", [changed])) == {str(changed.typed_address): "unchanged"}


def test_prune_deletes_structured_records(public: DnsTarget,
                                          cloudflare_api: CloudflareApi) -> None:
    apply(public, "web", [MX, SRV, CAA])
    changes = apply(public, "web", [])
    assert set(actions(changes).values()) == {"delete"}
    assert cloudflare_api.records("example.org") == []


def test_a_hand_edited_srv_is_planned_back(public: DnsTarget,
                                           cloudflare_api: CloudflareApi) -> None:
    apply(public, "voip", [SRV])
    stored = _stored(cloudflare_api, "SRV")
    cloudflare_api.edit_record("example.org", stored["id"],
                               data={**stored["data"], "port": 5080})
    changes = plan(public, "voip", [SRV])
    assert changes[0].fields == ("content: 10 5 5080 sip.example.org → "
                                 "10 5 5060 sip.example.org",)


def test_content_that_does_not_parse_is_refused_before_sending(
        public: DnsTarget, cloudflare_api: CloudflareApi) -> None:
    wanted = [record("cloudflare", "MX", "example.org", "mail.example.org")]
    before = cloudflare_api.count("POST", "/dns_records")
    with pytest.raises(InvalidError, match="an MX record has 2 fields"):
        apply(public, "mail", wanted)
    assert cloudflare_api.count("POST", "/dns_records") == before
