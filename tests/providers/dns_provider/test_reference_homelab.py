"""The reference homelab against a real BIND server and the fake Cloudflare API, through the
command line: every implied record created, a second plan without DNS changes, a hand edit
reported as drift, a removed ingress deleting exactly its record, an unowned record left alone
and reported, and a run killed mid-apply finished by the next without losing or doubling."""

from __future__ import annotations

import collections
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import desired
from homestack.model import Provider, Resource
from homestack_testing.bind import BindServer
from homestack_testing.cloudflare import CloudflareApi

from .conftest import hand_update, query
from .reflab import DnsLab, dns_changes, public_records

REFERENCE = Path(__file__).resolve().parents[3] / "examples" / "reference-homelab"
# Some of the records the reference homelab's ingresses imply (a floor, checked against the render)
PUBLIC = {"affine", "listen", "git", "vpn", "photos", "mail", "remote", "fountain", "tv",
          "traefik", "ci"}
INTERNAL = {"auth.home.arpa", "family-tree.home.arpa", "photos.home.arpa",
            "alertmanager.home.arpa", "prometheus.home.arpa", "ollama.home.arpa",
            "nas.home.arpa", "pfsense.home.arpa", "pve.home.arpa", "speed.example.org",
            "dns.home.arpa", "tor.home.arpa"}
MAIL = "dns:cloudflare:A:mail.example.org"


@pytest.fixture
def lab(tmp_path: Path, bind: BindServer, cloudflare_api: CloudflareApi) -> Iterator[DnsLab]:
    yield DnsLab(tmp_path / "lab", bind, cloudflare_api)


def _rendered() -> list[Resource]:
    return [r for rs in desired(load(REFERENCE)).resources.values() for r in rs
            if r.provider is Provider.DNS]


def _public_names() -> set[tuple[str, str]]:
    """Every Cloudflare record the reference homelab renders, as (name, type)."""
    names = {(r.body["name"], r.body["type"]) for r in _rendered()
             if r.kind.startswith("cloudflare:")}
    assert names >= {(f"{label}.example.org", "A") for label in PUBLIC}
    return names


def test_reference_homelab_dns_lifecycle(lab: DnsLab) -> None:
    api, bind = lab.api, lab.bind
    squatter = api.add_record("example.org", type="A", name="mail.example.org",
                              content="198.51.100.25", ttl=1, comment="set by hand")
    api.add_record("example.org", type="TXT", name="example.org.example.org", content="x",
                   ttl=1)
    hand_update(bind, "home.arpa", "printer.home.arpa", "A", "10.0.10.50")

    # An unowned record in the way: reported as a conflict, left alone; the rest applies.
    code, applied = lab.run("apply", "--yes")
    assert code == 1
    mail = next(s for s in applied["stacks"] if s["stack"] == "mailserver")
    assert mail["outcome"] == "failed"
    conflict = next(c for c in mail["changes"] if c["address"] == MAIL)
    assert conflict["failure"]["kind"] == "conflict"
    assert "A mail.example.org (198.51.100.25) exists and is not owned" in (
        conflict["failure"]["message"])
    assert public_records(api)[("mail.example.org", "A")]["content"] == "198.51.100.25"
    assert set(public_records(api)) >= _public_names() - {("mail.example.org", "A")}

    # The administrator removes it by hand; the next apply creates every implied record.
    with api.account.lock:
        api.account.delete(api.account.zone_named("example.org"), squatter["id"])
    code, applied = lab.run("apply", "--yes")
    assert code == 0, applied
    records = public_records(api)
    assert _public_names() <= set(records)
    assert all(records[key]["comment"].startswith("heritage=homestack,site=reference,stack=")
               for key in _public_names())
    assert records[("example.org", "CNAME")]["proxied"] is True
    for name in INTERNAL:
        assert query(bind, name, "A") == ["10.0.20.203"], name
    assert query(bind, "printer.home.arpa", "A") == ["10.0.10.50"]

    # A second plan: no DNS change, nothing skipped for DNS.
    code, planned = lab.run("plan", "--detailed-exitcode")
    assert code == 0, {a: v for a, v in dns_changes(planned).items() if v != "unchanged"}
    assert set(dns_changes(planned).values()) == {"unchanged"}
    assert len(dns_changes(planned)) == len(_rendered()) >= len(PUBLIC) + 1 + len(INTERNAL)

    # A hand edit on the server is drift.
    hand_update(bind, "home.arpa", "auth.home.arpa", "A", "10.0.20.99")
    code, drifted = lab.run("drift")
    assert code == 2
    labelled = {c["address"]: c["drift"] for s in drifted["stacks"] for c in s["changes"]
                if c["drift"]}
    assert labelled == {"dns:technitium:A:auth.home.arpa": "drift"}

    # Removing an ingress deletes exactly its record (and repairs the drift on the way).
    lab.edit("meshcentral", 'ingress(stack, app, host="remote",', 'dict(stack=app, host="remote",')
    code, applied = lab.run("apply", "--yes")
    assert code == 0, applied
    changed = {a: v for a, v in dns_changes(applied).items() if v != "unchanged"}
    assert changed == {"dns:cloudflare:A:remote.example.org": "delete",
                       "dns:technitium:A:auth.home.arpa": "update"}
    assert set(public_records(api)) == (_public_names() - {("remote.example.org", "A")}) | {
        ("example.org.example.org", "TXT")}
    assert query(bind, "auth.home.arpa", "A") == ["10.0.20.203"]
    assert query(bind, "printer.home.arpa", "A") == ["10.0.10.50"]


def test_a_killed_dns_apply_is_finished_by_the_next(lab: DnsLab) -> None:
    api = lab.api
    api.latency_s = 0.3  # DNS writes take seconds, so the kill lands among them
    child = subprocess.Popen(lab.command("apply", "--yes"), env=lab.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(api.records("example.org")) < 3 and time.monotonic() < deadline:
        assert child.poll() is None, "the apply finished before it could be killed"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    written = len(api.records("example.org"))
    assert 3 <= written < len(_public_names()), "the kill did not land among the DNS writes"
    api.latency_s = 0
    code, applied = lab.run("apply", "--yes")
    assert code == 0, [(s["stack"], s["error"]) for s in applied["stacks"] if s["error"]]
    per_name = collections.Counter((r["name"], r["type"]) for r in api.records("example.org"))
    assert per_name == dict.fromkeys(_public_names(), 1)
    for name in INTERNAL:
        assert query(lab.bind, name, "A") == ["10.0.20.203"], name
    code, planned = lab.run("plan", "--detailed-exitcode")
    assert code == 0
    assert set(dns_changes(planned).values()) == {"unchanged"}
