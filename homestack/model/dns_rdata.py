"""Record data of MX, SRV and CAA in RFC 1035 presentation form, parsed into its parts.

Stacks write these records as one string, the way a zone file does (``10 mail.example.org``,
``10 5 5060 sip.example.org``, ``0 issue "letsencrypt.org"``). The kit parses them at
declaration so a malformed record fails before any apply; the Cloudflare backend turns the
parts into the API's separate ``priority`` and structured ``data``, and its reads back into
the same text (``text()``), so both directions meet in one canonical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STRUCTURED = frozenset({"MX", "SRV", "CAA"})
# RFC 8659 defines these three property tags; Cloudflare accepts no others.
CAA_TAGS = ("issue", "issuewild", "iodef")
FORMS = {
    "MX": "'<priority> <mail host>', e.g. '10 mail.example.org'",
    "SRV": "'<priority> <weight> <port> <target>', e.g. '10 5 5060 sip.example.org'",
    "CAA": "'<flags> <tag> \"<value>\"', e.g. '0 issue \"letsencrypt.org\"'",
}
# One label of a DNS name: letters, digits, "-" (not first or last) and "_" (service labels).
LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class Mx:
    """An MX record: lower ``priority`` is preferred; ``host`` is the mail server."""

    priority: int
    host: str

    def text(self) -> str:
        """The presentation form."""
        return f"{self.priority} {self.host}"


@dataclass(frozen=True)
class Srv:
    """An SRV record (RFC 2782); a ``target`` of ``.`` means the service is not offered."""

    priority: int
    weight: int
    port: int
    target: str

    def text(self) -> str:
        """The presentation form."""
        return f"{self.priority} {self.weight} {self.port} {self.target}"


@dataclass(frozen=True)
class Caa:
    """A CAA record (RFC 8659): ``flags`` 0..255, a property ``tag`` and its ``value``."""

    flags: int
    tag: str
    value: str

    def text(self) -> str:
        """The presentation form, the value always quoted."""
        quoted = self.value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.flags} {self.tag} "{quoted}"'


Rdata = Mx | Srv | Caa


def parse(rtype: str, content: str) -> Rdata | None:
    """The parts of ``content`` for MX, SRV and CAA (None for other types).

    Raises ``ValueError`` saying what is wrong when the content does not parse.
    """
    kind = rtype.upper()
    if kind == "MX":
        return parse_mx(content)
    if kind == "SRV":
        return parse_srv(content)
    if kind == "CAA":
        return parse_caa(content)
    return None


def parse_mx(content: str) -> Mx:
    """``<priority> <host>``."""
    fields = content.split()
    if len(fields) != 2:
        raise ValueError(f"an MX record has 2 fields (priority, host), not {len(fields)}")
    return Mx(number(fields[0], "priority", 65535), host_name(fields[1], "host"))


def parse_srv(content: str) -> Srv:
    """``<priority> <weight> <port> <target>``."""
    fields = content.split()
    if len(fields) != 4:
        raise ValueError("an SRV record has 4 fields (priority, weight, port, target), "
                         f"not {len(fields)}")
    return Srv(number(fields[0], "priority", 65535), number(fields[1], "weight", 65535),
               number(fields[2], "port", 65535), host_name(fields[3], "target"))


def parse_caa(content: str) -> Caa:
    """``<flags> <tag> <value>``; the value may be quoted (and then may hold spaces)."""
    fields = content.strip().split(None, 2)
    if len(fields) != 3:
        raise ValueError(f"a CAA record has 3 fields (flags, tag, value), not {len(fields)}")
    flags, tag, value = fields
    if tag.lower() not in CAA_TAGS:
        raise ValueError(f"CAA tag {tag!r} is not one of {', '.join(CAA_TAGS)}")
    return Caa(number(flags, "flags", 255), tag.lower(), _unquote(value))


def number(text: str, field: str, top: int) -> int:
    """``text`` as an integer in 0..``top``."""
    if not (text.isascii() and text.isdigit()) or int(text) > top:
        raise ValueError(f"{field} {text!r} is not a number in 0..{top}")
    return int(text)


def host_name(text: str, field: str) -> str:
    """``text`` as a host name (``.`` alone is the root, as in a null MX or SRV)."""
    if text == ".":
        return text
    labels = text.rstrip(".").lower().split(".")
    if not all(LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        raise ValueError(f"{field} {text!r} is not a host name")
    return text


def _unquote(value: str) -> str:
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        inner = value[1:-1]
        return re.sub(r"\\(.)", r"\1", inner)
    if " " in value or '"' in value:
        raise ValueError(f"CAA value {value!r} holds spaces or quotes: quote it")
    return value
