"""DNS records refused at validate time, with the stack line; the kit's ``dns_record``; and
the DNS target opened only when the Site configures a backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homestack.cli import app
from homestack.model import CloudflareDns, DnsSettings, Domains, Site
from homestack.model.stack import Stack
from homestack.providers.dns import open_dns
from homestack.providers.errors import ProviderConfigError
from homestack_testing.homelabs import copy_homelab

DNS_STACK = '''
from homestack import Stack, tier
from homestack.kit import dns_record

stack = Stack("records", tier=tier.AUX)
dns_record(stack, "*", "CNAME", "tunnel.example.net", proxied=True)
dns_record(stack, "@", "TXT", "v=spf1 -all", proxied=True)
dns_record(stack, "mail", "MX", "10 mx.example.org", ttl=5)
dns_record(stack, "*", "A", "203.0.113.10")
dns_record(stack, "nas.example.net", "A", "203.0.113.11")
'''


def _findings(tmp_path: Path, small_homelab: Path) -> tuple[int, list[dict[str, str]]]:
    root = tmp_path / "homelab"
    copy_homelab(small_homelab, root)
    (root / "stacks" / "records").mkdir()
    (root / "stacks" / "records" / "stack.py").write_text(DNS_STACK)
    result = CliRunner().invoke(app, ["-C", str(root), "validate", "--json"])
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_invalid_records_are_refused_at_validate_time_with_the_stack_line(
        tmp_path: Path, small_homelab: Path) -> None:
    code, findings = _findings(tmp_path, small_homelab)
    assert code == 1
    by_rule = {(f["rule"], f["address"]): f["message"] for f in findings}
    assert by_rule == {
        ("HS-DNS-001", "dns:cloudflare:A:nas.example.net"):
            "stacks/records/stack.py:10: nas.example.net is outside the zones example.org, "
            "home.arpa that serve cloudflare records",
        ("HS-DNS-002", "dns:cloudflare:CNAME:*.example.org"):
            "stacks/records/stack.py:6: CNAME *.example.org shares its name with A record(s);"
            " a CNAME must be alone",
        ("HS-DNS-003", "dns:cloudflare:TXT:example.org"):
            "stacks/records/stack.py:7: a TXT record cannot be proxied",
        ("HS-DNS-004", "dns:cloudflare:MX:mail.example.org"):
            "stacks/records/stack.py:8: TTL 5 is out of range (expected 1 (automatic) or "
            "30..86400)",
    }


def test_dns_record_renders_the_tunnel_wildcard() -> None:
    site = Site(name="s", domains=Domains(public="example.org", internal="home.arpa"),
                edge={"tunnel_target": "t.cfargotunnel.com"})  # type: ignore[arg-type]
    stack = Stack("edge")
    from homestack.kit import dns_record

    dns_record(stack, "*", "CNAME", tunnel=True, proxied=True)
    dns_record(stack, "printer.home.arpa", "A", "10.0.10.50", ttl=60)
    rendered = {r.address: r.body for r in stack.render(site)}
    assert rendered == {
        "dns:cloudflare:CNAME:*.example.org": {
            "type": "CNAME", "name": "*.example.org", "content": "t.cfargotunnel.com",
            "proxied": True},
        "dns:technitium:A:printer.home.arpa": {
            "type": "A", "name": "printer.home.arpa", "content": "10.0.10.50", "ttl": 60},
    }


def test_without_dns_settings_there_is_no_dns_target() -> None:
    site = Site(name="s", domains=Domains(public="example.org", internal="home.arpa"))
    assert open_dns(site) is None


def test_a_missing_token_names_its_variable() -> None:
    site = Site(name="s", domains=Domains(public="example.org", internal="home.arpa"),
                dns=DnsSettings(cloudflare=CloudflareDns(zones=("example.org",),
                                                         token_env="NO_SUCH_TOKEN")))
    with pytest.raises(ProviderConfigError, match="NO_SUCH_TOKEN"):
        open_dns(site, {})


def test_settings_refuse_an_out_of_range_default_ttl() -> None:
    with pytest.raises(ValueError, match="ttl 10 must be 1"):
        CloudflareDns(zones=("example.org",), default_ttl=10)
