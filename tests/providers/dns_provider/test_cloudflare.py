"""The Cloudflare backend through the real SDK against the loopback fake of the v4 DNS API."""

from __future__ import annotations

import cloudflare
import pytest

from homestack.model.changeset import Action, FailureKind
from homestack.providers.dns import DnsTarget
from homestack.providers.dns.cloudflare import CloudflareBackend
from homestack.providers.errors import ForbiddenError, InvalidError, TransientError
from homestack_testing.cloudflare import CloudflareApi

from .conftest import TOKEN_ENV, actions, apply, cloudflare_settings, plan, record

APEX = record("cloudflare", "CNAME", "example.org", "homelab.cfargotunnel.com", proxied=True)
GIT = record("cloudflare", "A", "git.example.org", "203.0.113.10", proxied=False)
COMMENT = "heritage=homestack,site=lab,stack=web"


def _by_name(api: CloudflareApi) -> dict[tuple[str, str], dict[str, object]]:
    return {(r["name"], r["type"]): r for r in api.records("example.org")}


def test_create_marks_the_record_with_a_comment(public: DnsTarget,
                                                cloudflare_api: CloudflareApi) -> None:
    apply(public, "web", [APEX, GIT])
    records = _by_name(cloudflare_api)
    assert records[("example.org", "CNAME")]["proxied"] is True
    assert records[("example.org", "CNAME")]["content"] == "homelab.cfargotunnel.com"
    assert records[("git.example.org", "A")]["comment"] == COMMENT
    assert records[("git.example.org", "A")]["ttl"] == 1
    assert set(actions(plan(public, "web", [APEX, GIT])).values()) == {"unchanged"}


def test_records_are_listed_page_by_page_and_zones_once(public: DnsTarget,
                                                        cloudflare_api: CloudflareApi) -> None:
    for index in range(12):
        cloudflare_api.add_record("example.org", type="TXT", name=f"t{index}.example.org",
                                  content="other", ttl=1)
    apply(public, "web", [GIT])
    before = len(cloudflare_api.requests)
    seen = public.observe([GIT], [])
    assert len(seen.families["cloudflare"].records) == 13  # 3 pages of 5
    made = cloudflare_api.requests[before:]
    assert [m for m, p in made if p.endswith("/zones")] == ["GET"]
    assert sum(1 for m, p in made if p.endswith("/dns_records")) == 4  # 3 full + 1 empty


def test_update_shows_old_and_new(public: DnsTarget, cloudflare_api: CloudflareApi) -> None:
    apply(public, "web", [GIT])
    proxied = record("cloudflare", "A", "git.example.org", "93.184.216.34", proxied=True,
                     ttl=300)
    changes = apply(public, "web", [proxied])
    assert changes[0].action is Action.UPDATE
    assert changes[0].fields == ("content: 203.0.113.10 → 93.184.216.34", "ttl: 1 → 300",
                                 "proxied: False → True")
    assert "-content: 203.0.113.10" in changes[0].diff
    assert _by_name(cloudflare_api)[("git.example.org", "A")]["content"] == "93.184.216.34"


def test_prune_deletes_only_the_stacks_records(public: DnsTarget,
                                               cloudflare_api: CloudflareApi) -> None:
    apply(public, "web", [APEX, GIT])
    cloudflare_api.add_record("example.org", type="TXT", name="other.example.org",
                              content="v=spf1", ttl=1)
    changes = apply(public, "web", [APEX])
    assert actions(changes)["dns:cloudflare:A:git.example.org"] == "delete"
    assert set(_by_name(cloudflare_api)) == {("example.org", "CNAME"),
                                             ("other.example.org", "TXT")}


def test_a_hand_edit_is_planned_back(public: DnsTarget, cloudflare_api: CloudflareApi) -> None:
    apply(public, "web", [GIT])
    record_id = str(_by_name(cloudflare_api)[("git.example.org", "A")]["id"])
    cloudflare_api.edit_record("example.org", record_id, content="198.51.100.7")
    changes = plan(public, "web", [GIT])
    assert changes[0].fields == ("content: 198.51.100.7 → 203.0.113.10",)


def test_an_unowned_record_is_a_conflict_and_left_alone(public: DnsTarget,
                                                         cloudflare_api: CloudflareApi) -> None:
    cloudflare_api.add_record("example.org", type="A", name="git.example.org",
                              content="198.51.100.7", ttl=1)
    changes = apply(public, "web", [GIT])
    assert changes[0].failure is not None
    assert changes[0].failure.kind is FailureKind.CONFLICT
    assert "A git.example.org (198.51.100.7) exists and is not owned" in (
        changes[0].failure.message)
    assert _by_name(cloudflare_api)[("git.example.org", "A")]["content"] == "198.51.100.7"


def test_a_listed_name_is_adopted(public: DnsTarget, cloudflare_api: CloudflareApi) -> None:
    cloudflare_api.add_record("example.org", type="A", name="adopt.example.org",
                              content="198.51.100.7", ttl=1)
    wanted = [record("cloudflare", "A", "adopt.example.org", "203.0.113.10", proxied=False)]
    assert apply(public, "app", wanted)[0].action is Action.UPDATE
    adopted = _by_name(cloudflare_api)[("adopt.example.org", "A")]
    assert adopted["comment"] == "heritage=homestack,site=lab,stack=app"


def test_a_cname_beside_other_records_is_a_conflict(public: DnsTarget,
                                                     cloudflare_api: CloudflareApi) -> None:
    cloudflare_api.add_record("example.org", type="TXT", name="example.org", content="x",
                              ttl=1)
    changes = plan(public, "web", [APEX])
    assert changes[0].failure is not None
    assert "already has TXT records" in changes[0].failure.message


def test_throttling_is_retried_after_retry_after(public: DnsTarget,
                                                 cloudflare_api: CloudflareApi) -> None:
    cloudflare_api.fail_next(429, count=2, retry_after=0.05)
    apply(public, "web", [GIT])
    assert ("git.example.org", "A") in _by_name(cloudflare_api)


def test_server_errors_past_the_retries_are_transient(cloudflare_api: CloudflareApi) -> None:
    settings = cloudflare_settings(cloudflare_api, max_retries=1)
    backend = CloudflareBackend(settings, {TOKEN_ENV: cloudflare_api.token})
    cloudflare_api.fail_next(503, count=2, retry_after=0.01)
    with pytest.raises(TransientError, match="503"):
        backend.observe()
    backend.close()


def test_a_wrong_token_is_forbidden(cloudflare_api: CloudflareApi) -> None:
    backend = CloudflareBackend(cloudflare_settings(cloudflare_api), {TOKEN_ENV: "wrong"})
    with pytest.raises(ForbiddenError, match="10000 Authentication error"):
        backend.observe()
    backend.close()


@pytest.mark.parametrize(("fields", "code"), [
    ({"type": "TXT", "name": "t.example.org", "content": "x", "proxied": True}, "9004"),
    ({"type": "A", "name": "a.example.org", "content": "10.0.0.1", "proxied": True}, "9003"),
    ({"type": "A", "name": "a.example.org", "content": "198.51.100.1", "ttl": 20}, "9021"),
    ({"type": "A", "name": "a.example.net", "content": "198.51.100.1"}, "9007"),
    ({"type": "A", "name": "a.example.org", "content": "not-an-ip"}, "9005"),
    ({"type": "CNAME", "name": "taken.example.org", "content": "x.example.net"}, "81053"),
    ({"type": "A", "name": "taken.example.org", "content": "198.51.100.1"}, "81058"),
])
def test_the_fake_refuses_what_cloudflare_refuses(cloudflare_api: CloudflareApi,
                                                  fields: dict[str, object], code: str) -> None:
    cloudflare_api.add_record("example.org", type="A", name="taken.example.org",
                              content="198.51.100.1", ttl=1)
    backend = CloudflareBackend(cloudflare_settings(cloudflare_api),
                                {TOKEN_ENV: cloudflare_api.token})
    zone_id = backend.observe().handles["example.org"]
    with pytest.raises(cloudflare.BadRequestError) as caught:
        backend.client.dns.records.create(zone_id=zone_id, **{"ttl": 1, **fields})  # type: ignore[arg-type]
    backend.close()
    body = caught.value.body
    assert isinstance(body, dict) and body["success"] is False and body["result"] is None
    codes = {e["code"] for e in body["errors"]} | {
        c["code"] for e in body["errors"] for c in e.get("error_chain", [])}
    assert int(code) in codes


def test_an_invalid_record_fails_as_invalid(public: DnsTarget) -> None:
    wanted = [record("cloudflare", "TXT", "t.example.org", "x", proxied=True)]
    with pytest.raises(InvalidError, match="9004 This kind of record cannot be proxied"):
        apply(public, "web", wanted)
