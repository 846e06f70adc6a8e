"""The RFC 2136 backend against a real BIND server: every write checked by querying it."""

from __future__ import annotations

import pytest

from homestack.model.changeset import Action, FailureKind
from homestack.model.dns_settings import Rfc2136Dns
from homestack.providers.dns import DnsTarget
from homestack.providers.dns.rfc2136 import Rfc2136Backend
from homestack.providers.errors import (
    ConflictError,
    ForbiddenError,
    ProviderConfigError,
    TransientError,
)
from homestack_testing.bind import BindServer

from .conftest import TSIG_ENV, actions, apply, hand_update, plan, query, record, rfc2136_settings

AUTH = record("technitium", "A", "auth.home.arpa", "10.0.20.203")
REGISTRY = "_homestack.auth.home.arpa"


def test_create_writes_the_record_and_its_registry_entry(internal: DnsTarget,
                                                          bind: BindServer) -> None:
    changes = apply(internal, "authentik", [AUTH])
    assert actions(changes) == {"dns:technitium:A:auth.home.arpa": "create"}
    assert query(bind, "auth.home.arpa", "A") == ["10.0.20.203"]
    assert query(bind, REGISTRY, "TXT") == [
        '"heritage=homestack,site=lab,stack=authentik,type=A"']


def test_a_second_plan_is_unchanged(internal: DnsTarget) -> None:
    apply(internal, "authentik", [AUTH])
    assert actions(plan(internal, "authentik", [AUTH])) == {
        "dns:technitium:A:auth.home.arpa": "unchanged"}


def test_update_shows_old_and_new_and_writes_the_new(internal: DnsTarget,
                                                      bind: BindServer) -> None:
    apply(internal, "authentik", [AUTH])
    moved = record("technitium", "A", "auth.home.arpa", "10.0.20.204", ttl=600)
    changes = apply(internal, "authentik", [moved])
    assert changes[0].action is Action.UPDATE
    assert "-content: 10.0.20.203" in changes[0].diff
    assert "+content: 10.0.20.204" in changes[0].diff
    assert changes[0].fields == ("content: 10.0.20.203 → 10.0.20.204", "ttl: 300 → 600")
    assert query(bind, "auth.home.arpa", "A") == ["10.0.20.204"]


def test_record_types_round_trip(internal: DnsTarget, bind: BindServer) -> None:
    wanted = [
        record("technitium", "AAAA", "v6.home.arpa", "fd00::1"),
        record("technitium", "CNAME", "alias.home.arpa", "auth.home.arpa"),
        record("technitium", "TXT", "note.home.arpa", 'say "hi"'),
        record("technitium", "MX", "home.arpa", "10 ns.home.arpa"),
        record("technitium", "SRV", "_sip._tcp.home.arpa", "10 5 5060 sip.home.arpa"),
        record("technitium", "CAA", "home.arpa", '0 issue "letsencrypt.org"'),
    ]
    apply(internal, "misc", wanted)
    assert query(bind, "v6.home.arpa", "AAAA") == ["fd00::1"]
    assert query(bind, "alias.home.arpa", "CNAME") == ["auth.home.arpa."]
    assert query(bind, "note.home.arpa", "TXT") == ['"say \\"hi\\""']
    assert query(bind, "home.arpa", "MX") == ["10 ns.home.arpa."]
    assert query(bind, "_sip._tcp.home.arpa", "SRV") == ["10 5 5060 sip.home.arpa."]
    assert query(bind, "home.arpa", "CAA") == ['0 issue "letsencrypt.org"']
    assert set(actions(plan(internal, "misc", wanted)).values()) == {"unchanged"}


def test_prune_deletes_the_record_and_its_registry_entry(internal: DnsTarget,
                                                         bind: BindServer) -> None:
    other = record("technitium", "A", "grafana.home.arpa", "10.0.20.203")
    apply(internal, "authentik", [AUTH, other])
    changes = apply(internal, "authentik", [other])
    assert actions(changes) == {"dns:technitium:A:grafana.home.arpa": "unchanged",
                                "dns:technitium:A:auth.home.arpa": "delete"}
    assert query(bind, "auth.home.arpa", "A") == []
    assert query(bind, REGISTRY, "TXT") == []
    assert query(bind, "grafana.home.arpa", "A") == ["10.0.20.203"]


def test_a_hand_edit_is_planned_back(internal: DnsTarget, bind: BindServer) -> None:
    apply(internal, "authentik", [AUTH])
    hand_update(bind, "home.arpa", "auth.home.arpa", "A", "10.9.9.9")
    changes = plan(internal, "authentik", [AUTH])
    assert changes[0].action is Action.UPDATE
    assert changes[0].fields == ("content: 10.9.9.9 → 10.0.20.203",)


def test_an_unowned_record_is_a_conflict_and_left_alone(internal: DnsTarget,
                                                         bind: BindServer) -> None:
    hand_update(bind, "home.arpa", "auth.home.arpa", "A", "10.1.1.1")
    changes = apply(internal, "authentik", [AUTH])
    assert changes[0].action is Action.FAILED
    assert changes[0].failure is not None
    assert changes[0].failure.kind is FailureKind.CONFLICT
    assert "A auth.home.arpa (10.1.1.1) exists and is not owned" in changes[0].failure.message
    assert query(bind, "auth.home.arpa", "A") == ["10.1.1.1"]


def test_a_record_of_another_stack_is_a_conflict(internal: DnsTarget) -> None:
    apply(internal, "authentik", [AUTH])
    changes = plan(internal, "intruder", [AUTH])
    assert changes[0].failure is not None
    assert changes[0].failure.message.endswith("is owned by Stack authentik")
    assert actions(plan(internal, "intruder", [])) == {}  # nothing of authentik is pruned


def test_a_cname_beside_other_records_is_a_conflict(internal: DnsTarget,
                                                     bind: BindServer) -> None:
    hand_update(bind, "home.arpa", "alias.home.arpa", "TXT", '"keep"')
    changes = plan(internal, "app", [record("technitium", "CNAME", "alias.home.arpa", "x.org")])
    assert changes[0].failure is not None
    assert "already has TXT records" in changes[0].failure.message


def test_a_listed_name_is_adopted(internal: DnsTarget, bind: BindServer) -> None:
    hand_update(bind, "home.arpa", "adopt.home.arpa", "A", "10.1.1.1")
    wanted = [record("technitium", "A", "adopt.home.arpa", "10.0.20.203")]
    changes = apply(internal, "app", wanted)
    assert changes[0].action is Action.UPDATE
    assert changes[0].fields == ("adopted: was not owned by Homestack",)
    assert query(bind, "adopt.home.arpa", "A") == ["10.0.20.203"]
    assert actions(plan(internal, "app", wanted)) == {"dns:technitium:A:adopt.home.arpa":
                                                      "unchanged"}


def test_a_record_changed_after_the_plan_is_not_overwritten(internal: DnsTarget,
                                                             bind: BindServer) -> None:
    apply(internal, "authentik", [AUTH])
    moved = record("technitium", "A", "auth.home.arpa", "10.0.20.204")
    changes = plan(internal, "authentik", [moved])
    hand_update(bind, "home.arpa", "auth.home.arpa", "A", "10.7.7.7")
    with pytest.raises(ConflictError, match="changed since the plan"):
        internal.apply_stack("authentik", changes, _Quiet())
    assert query(bind, "auth.home.arpa", "A") == ["10.7.7.7"]


def test_a_wrong_tsig_secret_is_forbidden(bind: BindServer) -> None:
    backend = Rfc2136Backend(rfc2136_settings(bind), {TSIG_ENV: "c2VjcmV0c2VjcmV0c2VjcmV0"})
    with pytest.raises(ForbiddenError):
        backend.observe()


def test_a_missing_tsig_secret_names_the_variable() -> None:
    settings = Rfc2136Dns(server="127.0.0.1", zones=("home.arpa",), tsig_key_name="k",
                          tsig_secret_env="NOT_SET_ANYWHERE")
    with pytest.raises(ProviderConfigError, match="NOT_SET_ANYWHERE"):
        Rfc2136Backend(settings, {})


class _Quiet:
    def intent(self, change: object) -> None:
        pass

    def done(self, change: object, provider_id: str | None, changed: bool = True) -> None:
        pass


def test_a_stopped_server_is_a_transient_failure_after_bounded_retries(
        internal: DnsTarget, bind: BindServer) -> None:
    bind.stop()
    with pytest.raises(TransientError) as caught:
        internal.observe([AUTH], [])
    assert caught.value.kind is FailureKind.TRANSIENT
    assert caught.value.maybe_done is False  # refused: nothing reached the server
    assert "zone transfer failed" in str(caught.value)


def test_a_txt_record_longer_than_one_string_is_written_and_read_back_whole(
        internal: DnsTarget, bind: BindServer) -> None:
    text = "v=DKIM1; k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" * 13
    assert len(text) > 255
    long_txt = record("technitium", "TXT", "dkim._domainkey.home.arpa", text)
    changes = apply(internal, "mail", [long_txt])
    assert actions(changes) == {"dns:technitium:TXT:dkim._domainkey.home.arpa": "create"}
    assert actions(plan(internal, "mail", [long_txt])) == {
        "dns:technitium:TXT:dkim._domainkey.home.arpa": "unchanged"}
    [answer] = query(bind, "dkim._domainkey.home.arpa", "TXT")
    assert answer.replace('" "', "").strip('"') == text
