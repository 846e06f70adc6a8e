"""The fake Cloudflare API takes MX, SRV and CAA as the v4 API does, checked with the real SDK.

MX carries a separate ``priority``; SRV and CAA a structured ``data`` from which the fake
computes ``content``. Refusals are asserted by HTTP status and error code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import cloudflare
import pytest
from cloudflare import Cloudflare

from homestack_testing.cloudflare import CloudflareApi

SIP = {"priority": 10, "weight": 5, "port": 5060, "target": "sip.example.org"}
CAA = {"flags": 0, "tag": "issue", "value": "letsencrypt.org"}


@pytest.fixture
def api() -> Iterator[CloudflareApi]:
    with CloudflareApi(("example.org",)) as fake:
        yield fake


@pytest.fixture
def client(api: CloudflareApi) -> Iterator[Cloudflare]:
    sdk = Cloudflare(api_token=api.token, base_url=api.url, max_retries=0)
    yield sdk
    sdk.close()


def _zone(client: Cloudflare) -> str:
    return str(client.zones.list(name="example.org").result[0].id)


def _create(client: Cloudflare, **fields: Any) -> Any:
    return client.dns.records.create(zone_id=_zone(client), **{"ttl": 1, **fields})


def _refusal(client: Cloudflare, **fields: Any) -> tuple[int, dict[int, list[str]]]:
    """The status and the codes (with their messages) of a create the fake refuses."""
    with pytest.raises(cloudflare.APIStatusError) as caught:
        _create(client, **fields)
    body = caught.value.body
    assert isinstance(body, dict) and body["success"] is False and body["result"] is None
    codes: dict[int, list[str]] = {}
    for error in body["errors"]:
        codes.setdefault(error["code"], []).append(error["message"])
        for cause in error.get("error_chain", []):
            codes.setdefault(cause["code"], []).append(cause["message"])
    return caught.value.status_code, codes


def test_srv_content_is_computed_from_data(client: Cloudflare, api: CloudflareApi) -> None:
    _create(client, type="SRV", name="_sip._tcp.example.org", data=SIP,
            content="ignored by the API")
    [stored] = api.records("example.org")
    assert stored["content"] == "5 5060 sip.example.org"
    assert stored["priority"] == 10
    assert stored["data"] == SIP


def test_srv_target_is_stored_without_its_final_dot(client: Cloudflare,
                                                    api: CloudflareApi) -> None:
    _create(client, type="SRV", name="_sip._tcp.example.org",
            data={**SIP, "target": "sip.example.org."})
    assert api.records("example.org")[0]["data"]["target"] == "sip.example.org"


def test_caa_content_is_computed_from_data(client: Cloudflare, api: CloudflareApi) -> None:
    _create(client, type="CAA", name="example.org", data=CAA)
    [stored] = api.records("example.org")
    assert stored["content"] == '0 issue "letsencrypt.org"'
    assert stored["data"] == CAA
    assert stored["priority"] is None


def test_reads_return_priority_and_data(client: Cloudflare) -> None:
    _create(client, type="MX", name="example.org", content="mail.example.org", priority=20)
    _create(client, type="SRV", name="_sip._tcp.example.org", data=SIP)
    listed = {r.type: r for r in client.dns.records.list(zone_id=_zone(client))}
    assert (listed["MX"].content, listed["MX"].priority) == ("mail.example.org", 20)
    srv = listed["SRV"]
    assert srv.data is not None
    assert (srv.data.priority, srv.data.weight, srv.data.port, srv.data.target) == (
        10, 5, 5060, "sip.example.org")


def test_mx_records_differing_by_priority_are_not_identical(client: Cloudflare,
                                                             api: CloudflareApi) -> None:
    _create(client, type="MX", name="example.org", content="mail.example.org", priority=10)
    _create(client, type="MX", name="example.org", content="mail.example.org", priority=20)
    assert len(api.records("example.org")) == 2
    status, codes = _refusal(client, type="MX", name="example.org", content="mail.example.org",
                             priority=20)
    assert (status, list(codes)) == (400, [81058])


@pytest.mark.parametrize(("fields", "code", "message"), [
    ({"type": "MX", "content": "mail.example.org"}, 9100, "priority is a required field."),
    ({"type": "MX", "content": "mail.example.org", "priority": 65536}, 1004,
     "priority must be a number between 0 and 65535, not 65536."),
    ({"type": "MX", "content": "mail.example.org", "priority": -1}, 1004,
     "priority must be a number between 0 and 65535, not -1."),
    ({"type": "MX", "content": "192.0.2.25", "priority": 10}, 9009,
     "Change the content of your MX record to be a hostname (and not an IP address)."),
    ({"type": "MX", "content": "10 mail.example.org", "priority": 10}, 9009,
     "Change the content of your MX record to be a hostname (and not an IP address)."),
    ({"type": "SRV", "data": {**SIP, "weight": None}}, 9101, "weight is a required data field."),
    ({"type": "SRV", "data": {**SIP, "port": 65536}}, 1004,
     "port must be a number between 0 and 65535, not 65536."),
    ({"type": "SRV", "data": {**SIP, "priority": 1.5}}, 1004,
     "priority must be a number between 0 and 65535, not 1.5."),
    ({"type": "SRV", "data": {**SIP, "target": "not a host"}}, 1004,
     "SRV target 'not a host' is not a valid hostname."),
    ({"type": "CAA", "data": {**CAA, "flags": 256}}, 1004,
     "flags must be a number between 0 and 255, not 256."),
    ({"type": "CAA", "data": {**CAA, "tag": "issuer"}}, 1004,
     "CAA tag 'issuer' is not one of issue, issuewild, iodef."),
    ({"type": "CAA", "data": {**CAA, "value": ""}}, 9101, "value is a required data field."),
], ids=["mx-no-priority", "mx-priority-high", "mx-priority-negative", "mx-address",
        "mx-presentation-form", "srv-no-weight", "srv-port-high", "srv-priority-fraction",
        "srv-target", "caa-flags-high", "caa-tag", "caa-no-value"])
def test_the_fake_refuses_bad_parts(client: Cloudflare, fields: dict[str, Any], code: int,
                                    message: str) -> None:
    status, codes = _refusal(client, name="_sip._tcp.example.org", **fields)
    assert status == 400
    assert set(codes) == {1004, code}
    assert codes[1004][0] == "DNS Validation Error"
    assert message in codes[code]


@pytest.mark.parametrize(("rtype", "fields"), [
    ("SRV", ["priority", "weight", "port", "target"]),
    ("CAA", ["flags", "tag", "value"]),
])
def test_structured_records_without_data_name_every_missing_field(
        client: Cloudflare, rtype: str, fields: list[str]) -> None:
    status, codes = _refusal(client, type=rtype, name="example.org", content="10 5 5060 x.org")
    assert status == 400
    assert codes[9101] == [f"{field} is a required data field." for field in fields]


def test_a_refused_put_leaves_the_record_as_it_was(client: Cloudflare,
                                                   api: CloudflareApi) -> None:
    created = _create(client, type="SRV", name="_sip._tcp.example.org", data=SIP)
    with pytest.raises(cloudflare.BadRequestError):
        client.dns.records.update(created.id, zone_id=_zone(client), type="SRV", ttl=1,
                                  name="_sip._tcp.example.org", data={**SIP, "port": 70000})
    assert api.records("example.org")[0]["data"] == SIP
