"""The RFC 2136 backend: zones read by a TSIG-signed AXFR, records written by dynamic UPDATE.

This is how Technitium, BIND, Knot and PowerDNS accept changes. Ownership lives in a TXT
registry record set ``_homestack.<name>`` with one string per owned type; each UPDATE
message changes a record set and its registry string together (RFC 2136 updates are atomic),
guarded by prerequisites: a create requires the record set to be absent, an update or delete
requires it to still hold exactly what the plan saw.
"""

from __future__ import annotations

import base64
import binascii

import dns.exception
import dns.name
import dns.query
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring
import dns.update
import dns.xfr
import dns.zone

from homestack.model.dns_names import txt_chunks
from homestack.model.dns_settings import INTERNAL_FAMILY, Rfc2136Dns
from homestack.providers.dns.backend import SettingsZones
from homestack.providers.dns.records import (
    REGISTRY_PREFIX,
    Owner,
    Record,
    Wanted,
    ZoneRecords,
    group,
    normal_name,
)
from homestack.providers.environment import required_env
from homestack.providers.errors import (
    ConflictError,
    ForbiddenError,
    InvalidError,
    ProviderConfigError,
    ProviderError,
    TransientError,
)
from homestack.providers.retrying import RetryPolicy, retried

# Record types the zone holds for itself, never Homestack's.
_OWN_TYPES = frozenset({"SOA", "NS", "RRSIG", "NSEC", "NSEC3", "DNSKEY", "TSIG"})


def _rdata_text(rtype: str, content: str) -> str:
    """Zone-file text of ``content``: host names made absolute, TXT quoted."""
    if rtype in ("CNAME", "NS", "PTR", "MX", "SRV") and not content.endswith("."):
        return f"{content}."
    if rtype == "TXT" and not content.startswith('"'):
        # One zone-file string holds at most 255 bytes: a longer text is several strings.
        return " ".join('"' + chunk.replace("\\", "\\\\").replace('"', '\\"') + '"'
                        for chunk in txt_chunks(content))
    return content


def _content(rtype: str, rdata: dns.rdata.Rdata) -> str:
    text = rdata.to_text()
    if rtype == "TXT":
        return b"".join(rdata.strings).decode(errors="replace")  # type: ignore[attr-defined]
    return text.rstrip(".") if rtype in ("CNAME", "NS", "PTR") else text


class Rfc2136Backend(SettingsZones):
    """One RFC 2136 server with a TSIG key; reads every zone once per ``observe``."""

    proxiable = False
    settings: Rfc2136Dns

    def __init__(self, settings: Rfc2136Dns, environ: dict[str, str] | None = None) -> None:
        secret = required_env(settings.tsig_secret_env, what="the TSIG secret",
                              subject="dns:rfc2136", environ=environ,
                              hint=f"export {settings.tsig_secret_env}=<base64 secret>")
        try:
            base64.b64decode(secret, validate=True)
        except binascii.Error as exc:
            raise ProviderConfigError(
                f"{settings.tsig_secret_env} does not hold a base64 TSIG secret",
                subject="dns:rfc2136") from exc
        self.settings = settings
        self.keyname = dns.name.from_text(settings.tsig_key_name)
        self.keyring = dns.tsigkeyring.from_text({settings.tsig_key_name: secret})
        self.algorithm = dns.name.from_text(settings.tsig_algorithm)

    @property
    def endpoint(self) -> str:
        return f"{self.settings.server}:{self.settings.port} zones={','.join(self.zones)}"

    # -- reading ------------------------------------------------------------------------------
    def observe(self) -> ZoneRecords:
        records: list[Record] = []
        for zone in self.zones:
            records += self._transfer(zone)
        return group(records, {zone: zone for zone in self.zones})

    def _transfer(self, zone: str) -> list[Record]:
        return retried(lambda: self._transfer_once(zone), RetryPolicy.default())

    def _transfer_once(self, zone: str) -> list[Record]:
        subject = f"dns:rfc2136:{zone}"
        try:
            transferred = dns.zone.Zone(zone, relativize=False)
            query, _ = dns.xfr.make_query(transferred, serial=None, keyring=self.keyring,
                                          keyname=self.keyname, keyalgorithm=self.algorithm)
            dns.query.inbound_xfr(self.settings.server, transferred, query,
                                  port=self.settings.port, timeout=self.settings.timeout,
                                  lifetime=self.settings.timeout * 4)
        except dns.xfr.TransferError as exc:
            raise _refused(exc.rcode, subject, "zone transfer") from exc
        except (dns.tsig.PeerError, dns.tsig.BadSignature) as exc:
            raise ForbiddenError(f"the server refused the TSIG key ({exc})", subject=subject,
                                 hint="Check tsig_key_name, tsig_algorithm and the secret"
                                 ) from exc
        except (OSError, EOFError, dns.exception.DNSException) as exc:
            raise _failed("zone transfer", exc, subject) from exc
        return _records(transferred)

    # -- writing ------------------------------------------------------------------------------
    def create(self, zone: str, wanted: Wanted, owner: Owner) -> str:
        update = self._update(zone)
        name = dns.name.from_text(wanted.name)
        update.absent(name, wanted.rtype)
        update.replace(name, wanted.ttl, wanted.rtype, _rdata_text(wanted.rtype, wanted.content))
        update.add(_registry(wanted.name), wanted.ttl, "TXT", _mark(owner, wanted.rtype))
        self._send(update, f"dns:{INTERNAL_FAMILY}:{wanted.rtype}:{wanted.name}")
        return f"{wanted.name}/{wanted.rtype}"

    def update(self, zone: str, wanted: Wanted, owner: Owner, old: tuple[Record, ...]) -> str:
        update = self._update(zone)
        name = dns.name.from_text(wanted.name)
        update.present(name, _rdataset(old))
        update.replace(name, wanted.ttl, wanted.rtype, _rdata_text(wanted.rtype, wanted.content))
        for previous in {r.owner for r in old if r.owner is not None and r.owner != owner}:
            update.delete(_registry(wanted.name), "TXT", _mark(previous, wanted.rtype))
        update.add(_registry(wanted.name), wanted.ttl, "TXT", _mark(owner, wanted.rtype))
        self._send(update, f"dns:{INTERNAL_FAMILY}:{wanted.rtype}:{wanted.name}")
        return f"{wanted.name}/{wanted.rtype}"

    def delete(self, zone: str, owner: Owner, old: tuple[Record, ...]) -> None:
        first = old[0]
        update = self._update(zone)
        name = dns.name.from_text(first.name)
        update.present(name, _rdataset(old))
        update.delete(name, first.rtype)
        update.delete(_registry(first.name), "TXT", _mark(owner, first.rtype))
        self._send(update, f"dns:{INTERNAL_FAMILY}:{first.rtype}:{first.name}")

    def _update(self, zone: str) -> dns.update.UpdateMessage:
        return dns.update.UpdateMessage(zone, keyring=self.keyring, keyname=self.keyname,
                                        keyalgorithm=self.algorithm)

    def _send(self, update: dns.update.UpdateMessage, subject: str) -> None:
        # An update carries prerequisites: repeated after it landed, it would fail on its own
        # result, so it is repeated only when it was not done.
        retried(lambda: self._send_once(update, subject), RetryPolicy.default(),
                repeatable=False)

    def _send_once(self, update: dns.update.UpdateMessage, subject: str) -> None:
        try:
            response = dns.query.tcp(update, self.settings.server, port=self.settings.port,
                                     timeout=self.settings.timeout)
        except (dns.tsig.PeerError, dns.tsig.BadSignature) as exc:
            raise ForbiddenError(f"the server refused the TSIG key ({exc})", subject=subject
                                 ) from exc
        except (OSError, EOFError, dns.exception.DNSException) as exc:
            raise _failed("update", exc, subject) from exc
        if response.rcode() != dns.rcode.NOERROR:
            raise _refused(response.rcode(), subject, "update")

    def close(self) -> None:
        """Nothing to release: every request opens its own connection."""


def _refused(rcode: dns.rcode.Rcode, subject: str, what: str) -> ProviderError:
    """The error class a DNS response code means (decided from the code, never the text)."""
    text = dns.rcode.to_text(rcode)
    if rcode in (dns.rcode.YXRRSET, dns.rcode.NXRRSET, dns.rcode.YXDOMAIN, dns.rcode.NXDOMAIN):
        return ConflictError(f"{what} refused ({text}): the record changed since the plan",
                             subject=subject, hint="Plan again")
    if rcode in (dns.rcode.REFUSED, dns.rcode.NOTAUTH):
        return ForbiddenError(f"{what} refused ({text})", subject=subject,
                              hint="Allow updates and transfers for the TSIG key on the server")
    if rcode == dns.rcode.SERVFAIL:
        failed = TransientError(f"{what} failed ({text})", subject=subject)
        failed.maybe_done = False  # an update is all or nothing: this one was not done
        return failed
    return InvalidError(f"{what} refused ({text})", subject=subject)


def _failed(what: str, error: BaseException, subject: str) -> TransientError:
    """No usable answer; ``maybe_done`` False when the connection was refused."""
    failed = TransientError(f"{what} failed ({error})", subject=subject)
    failed.maybe_done = not isinstance(error, ConnectionRefusedError)
    return failed


def _registry(name: str) -> dns.name.Name:
    return dns.name.from_text(f"{REGISTRY_PREFIX}.{normal_name(name)}")


def _mark(owner: Owner, rtype: str) -> str:
    return f'"{owner.text(rtype)}"'


def _rdataset(old: tuple[Record, ...]) -> dns.rdataset.Rdataset:
    """The record set exactly as the plan saw it (a value-dependent prerequisite)."""
    first = old[0]
    return dns.rdataset.from_text(dns.rdataclass.IN, first.rtype, 0,  # prerequisites: TTL 0
                                  *(_rdata_text(r.rtype, r.content) for r in old))


def _records(zone: dns.zone.Zone) -> list[Record]:
    """The zone's record sets with their owners from the registry; registry sets left out."""
    marks: dict[tuple[str, str], Owner] = {}
    found: list[tuple[str, str, dns.rdataset.Rdataset]] = []
    for name, node in zone.nodes.items():
        text = normal_name(name.to_text())
        for rdataset in node.rdatasets:
            rtype = dns.rdatatype.to_text(rdataset.rdtype)
            if text.startswith(f"{REGISTRY_PREFIX}.") and rtype == "TXT":
                for rdata in rdataset:
                    owner, owned_type = Owner.parse(_content("TXT", rdata))
                    if owner is not None and owned_type:
                        marks[(text.removeprefix(f"{REGISTRY_PREFIX}."), owned_type)] = owner
            elif rtype not in _OWN_TYPES:
                found.append((text, rtype, rdataset))
    return [Record(name, rtype, _content(rtype, rdata), rdataset.ttl,
                   owner=marks.get((name, rtype)))
            for name, rtype, rdataset in found for rdata in rdataset]
