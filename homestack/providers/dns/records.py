"""DNS records as values: what a backend saw, what a Resource wants, and who owns a record.

Ownership is marked the way external-dns does it, with the Site and the Stack: on Cloudflare
in the record's comment, on RFC 2136 servers in a TXT registry record ``_homestack.<name>``
holding one string per owned type. Both read ``heritage=homestack,site=<site>,stack=<stack>``
(the registry string adds ``,type=<TYPE>``).

Content is one string in RFC 1035 presentation form for every type and backend (MX
``10 mail.example.org``, SRV ``10 5 5060 sip.example.org``, CAA ``0 issue "letsencrypt.org"``);
a backend whose API splits a record into parts (Cloudflare's ``priority`` and ``data``) joins
them back into this form when it reads, so plans compare like with like (``normal_content``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from homestack.model import Resource
from homestack.model.dns_rdata import parse_caa

HERITAGE = "homestack"
REGISTRY_PREFIX = "_homestack"
PROXIABLE = frozenset({"A", "AAAA", "CNAME"})
# Record types whose content ends with a host name: compared without its final dot, in lower
# case (``10 mail.example.org.`` equals ``10 mail.example.org``).
HOST_CONTENT = frozenset({"CNAME", "NS", "PTR", "MX", "SRV"})


@dataclass(frozen=True)
class Owner:
    """Who a record belongs to: the Site and the Stack that created it."""

    site: str
    stack: str

    def text(self, rtype: str | None = None) -> str:
        """The ownership label (with the type for the RFC 2136 registry)."""
        label = f"heritage={HERITAGE},site={self.site},stack={self.stack}"
        return f"{label},type={rtype}" if rtype else label

    @classmethod
    def parse(cls, text: str | None) -> tuple[Owner | None, str]:
        """The owner a label names and the type it is for ("" when none); None when the text
        is not a Homestack label."""
        if not text:
            return None, ""
        parts = dict(p.partition("=")[::2] for p in text.strip().strip('"').split(","))
        if parts.get("heritage") != HERITAGE or not parts.get("site") or not parts.get("stack"):
            return None, ""
        return cls(parts["site"], parts["stack"]), parts.get("type", "")


def normal_name(name: str) -> str:
    """A DNS name without its final dot, in lower case."""
    return name.rstrip(".").lower()


def normal_content(rtype: str, content: str) -> str:
    """Content as compared: host names without the final dot, TXT without quotes, CAA with
    its tag in lower case and its value quoted."""
    if rtype == "CAA":
        try:
            return parse_caa(content).text()
        except ValueError:
            return content.strip()  # not ours to judge: compared as written
    if rtype in HOST_CONTENT:
        return " ".join(content.split()).rstrip(".").lower()
    if rtype == "TXT":
        return content.strip('"') if content.startswith('"') else content
    return content.strip()


@dataclass(frozen=True)
class Record:
    """One record a backend holds (``id`` is Cloudflare's; RFC 2136 records have none)."""

    name: str
    rtype: str
    content: str
    ttl: int
    proxied: bool | None = None
    owner: Owner | None = None
    id: str = ""

    def shown(self) -> dict[str, Any]:
        """The record as a plan shows it."""
        body: dict[str, Any] = {"type": self.rtype, "name": self.name,
                                "content": self.content, "ttl": self.ttl}
        if self.proxied is not None:
            body["proxied"] = self.proxied
        return body


@dataclass(frozen=True)
class Wanted:
    """What a DNS Resource asks for, with the backend's defaults filled in."""

    family: str
    name: str
    rtype: str
    content: str
    ttl: int
    proxied: bool | None

    @classmethod
    def of(cls, resource: Resource, default_ttl: int, proxiable: bool) -> Wanted:
        """Read ``resource`` (body: type, name, content, optional ttl and proxied)."""
        body = resource.body
        family = resource.kind.partition(":")[0]
        proxied = bool(body.get("proxied", False)) if proxiable else None
        return cls(family, normal_name(str(body.get("name", resource.name))),
                   str(body.get("type", resource.kind.partition(":")[2])).upper(),
                   str(body["content"]), int(body.get("ttl", default_ttl)), proxied)

    def same_as(self, record: Record) -> bool:
        """True when ``record`` already holds what is wanted."""
        return (normal_content(self.rtype, record.content)
                == normal_content(self.rtype, self.content)
                and record.ttl == self.ttl
                and (self.proxied is None or bool(record.proxied) == self.proxied))

    def shown(self) -> dict[str, Any]:
        """The wanted record as a plan shows it."""
        return Record(self.name, self.rtype, self.content, self.ttl, self.proxied).shown()


@dataclass(frozen=True)
class ZoneRecords:
    """Every record of the zones of one backend, by (name, type); immutable once built.

    ``handles`` maps each zone name to what the backend writes to (Cloudflare's zone id, the
    zone name for RFC 2136), so apply never looks a zone up again.
    """

    records: Mapping[tuple[str, str], tuple[Record, ...]] = field(default_factory=dict)
    handles: Mapping[str, str] = field(default_factory=dict)

    def at(self, name: str, rtype: str) -> tuple[Record, ...]:
        """The records of ``rtype`` at ``name``."""
        return self.records.get((normal_name(name), rtype), ())

    def types_at(self, name: str) -> set[str]:
        """Every type with records at ``name``."""
        name = normal_name(name)
        return {t for (n, t) in self.records if n == name}

    def owned_by(self, owner: Owner) -> list[tuple[str, str]]:
        """(name, type) of every record set ``owner`` holds."""
        return sorted(key for key, recs in self.records.items()
                      if any(r.owner == owner for r in recs))


def group(records: list[Record], handles: Mapping[str, str]) -> ZoneRecords:
    """Index ``records`` by (name, type)."""
    index: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        index.setdefault((normal_name(record.name), record.rtype), []).append(record)
    return ZoneRecords({k: tuple(v) for k, v in index.items()}, dict(handles))
