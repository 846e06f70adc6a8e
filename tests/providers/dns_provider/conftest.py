"""Real BIND (named) and the loopback fake Cloudflare API, and DNS targets pointed at them.

Without ``named`` the RFC 2136 tests skip locally and fail in CI (CI=true), as every missing
real component does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import dns.message
import dns.name
import dns.query
import dns.rdatatype
import dns.tsigkeyring
import dns.update
import pytest

from homestack.model import CloudflareDns, Provider, Resource, Rfc2136Dns
from homestack.model.changeset import Change
from homestack.providers.dns import DnsTarget
from homestack.providers.dns.cloudflare import CloudflareBackend
from homestack.providers.dns.rfc2136 import Rfc2136Backend
from homestack_testing.bind import BindServer, named_binary
from homestack_testing.cloudflare import CloudflareApi

SITE = "lab"
TOKEN_ENV = "HOMESTACK_TEST_CF_TOKEN"
TSIG_ENV = "HOMESTACK_TEST_TSIG"


@pytest.fixture
def bind() -> Iterator[BindServer]:
    if named_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("named (Debian bind9) is missing; bin/setup --dev installs it")
        pytest.skip("named (Debian bind9) is not installed")
    with BindServer(("home.arpa", "example.org")) as server:
        yield server


@pytest.fixture
def cloudflare_api() -> Iterator[CloudflareApi]:
    with CloudflareApi(("example.org",), max_per_page=5) as api:
        yield api


def rfc2136_settings(server: BindServer) -> Rfc2136Dns:
    """Settings of an RFC 2136 backend for ``server``."""
    return Rfc2136Dns(server=server.host, port=server.port, zones=server.zones,
                      tsig_key_name=server.key_name, tsig_algorithm=server.algorithm,
                      tsig_secret_env=TSIG_ENV, timeout=3.0)


def cloudflare_settings(api: CloudflareApi, **extra: object) -> CloudflareDns:
    """Settings of a Cloudflare backend for the fake ``api`` (small pages: pagination runs)."""
    return CloudflareDns(zones=("example.org",), base_url=api.url, token_env=TOKEN_ENV,
                         page_size=5, **extra)  # type: ignore[arg-type]


@pytest.fixture
def internal(bind: BindServer) -> Iterator[DnsTarget]:
    backend = Rfc2136Backend(rfc2136_settings(bind), {TSIG_ENV: bind.secret})
    target = DnsTarget(SITE, {"technitium": backend}, adopt=("adopt.home.arpa",))
    yield target
    target.close()


@pytest.fixture
def public(cloudflare_api: CloudflareApi) -> Iterator[DnsTarget]:
    backend = CloudflareBackend(cloudflare_settings(cloudflare_api),
                                {TOKEN_ENV: cloudflare_api.token})
    target = DnsTarget(SITE, {"cloudflare": backend}, adopt=("adopt.example.org",))
    yield target
    target.close()


def query(server: BindServer, name: str, rtype: str) -> list[str]:
    """The answer of ``server`` for ``name`` ``rtype`` (sorted texts; [] when none)."""
    answer = dns.query.tcp(dns.message.make_query(name, rtype), server.host, port=server.port,
                           timeout=3)
    return sorted(rdata.to_text() for rrset in answer.answer for rdata in rrset
                  if rrset.rdtype == dns.rdatatype.from_text(rtype))


def hand_update(server: BindServer, zone: str, name: str, rtype: str, *contents: str,
                ttl: int = 300) -> None:
    """Change a record set the way an administrator would (nsupdate with the key)."""
    keyring = dns.tsigkeyring.from_text({server.key_name: server.secret})
    update = dns.update.UpdateMessage(zone, keyring=keyring, keyname=server.key_name,
                                      keyalgorithm=server.algorithm)
    absolute = dns.name.from_text(name)
    update.delete(absolute, rtype)
    for content in contents:
        update.add(absolute, ttl, rtype, content)
    response = dns.query.tcp(update, server.host, port=server.port, timeout=3)
    assert response.rcode() == 0, response


class Log:
    """A Recorder that keeps what the target reported (the engine's journal stands in)."""

    def __init__(self) -> None:
        self.intents: list[str] = []
        self.finished: list[tuple[str, str | None]] = []

    def intent(self, change: Change) -> None:
        self.intents.append(str(change.address))

    def done(self, change: Change, provider_id: str | None, changed: bool = True) -> None:
        self.finished.append((str(change.address), provider_id))


def record(family: str, rtype: str, name: str, content: str, **extra: object) -> Resource:
    """A DNS Resource as the kit renders it."""
    body = {"type": rtype, "name": name, "content": content, **extra}
    return Resource(provider=Provider.DNS, kind=f"{family}:{rtype}", name=name, body=body)


def plan(target: DnsTarget, stack: str, resources: list[Resource]) -> list[Change]:
    """Observe once and plan ``stack``."""
    return target.plan_stack(stack, resources, None, target.observe(resources, []))


def apply(target: DnsTarget, stack: str, resources: list[Resource]) -> list[Change]:
    """Plan ``stack`` and apply exactly its changes; returns the plan."""
    changes = plan(target, stack, resources)
    recorder = Log()
    target.apply_stack(stack, [c for c in changes if c.action.is_change], recorder)
    return changes


def actions(changes: list[Change]) -> dict[str, str]:
    """Action by address."""
    return {str(c.address): c.action.value for c in changes}
