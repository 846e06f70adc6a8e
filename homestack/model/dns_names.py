"""DNS names and record contents as the servers take them (RFC 1035 and the Cloudflare API):
checked when a record is declared, so that a name no server accepts fails at its stack line
instead of half-way through an apply.

- a name has at most 253 characters and labels of 1..63 characters: letters, digits, ``-``
  (not first or last) and ``_`` (``_dmarc``, ``_sip._tcp``); ``*`` only as a whole first label;
- A holds an IPv4 address, AAAA an IPv6 address, CNAME a host name;
- TXT holds printable text of at most 2048 characters (Cloudflare's limit), sent as strings
  of at most 255 bytes each (``txt_chunks``).
"""

from __future__ import annotations

import ipaddress

from homestack.model.dns_rdata import LABEL, host_name

NAME_MAX = 253
TXT_MAX = 2048
TXT_STRING_MAX = 255


def check_name(name: object) -> str:
    """Why ``name`` is no DNS record name, or ""."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty name"
    text = name.rstrip(".").lower()
    if len(text) > NAME_MAX:
        return f"has {len(text)} characters, more than {NAME_MAX}"
    labels = text.split(".")
    for index, label in enumerate(labels):
        if label == "*" and index == 0:
            continue
        if len(label) > 63:
            return f"label {label[:20]!r}... has {len(label)} characters, more than 63"
        if not LABEL.fullmatch(label):
            return (f"label {label!r} may hold only letters, digits, '-' (not first or last) "
                    "and '_'")
    return ""


def check_content(rtype: str, content: str) -> str:
    """Why ``content`` is no valid content of an ``rtype`` record, or ""."""
    if rtype in ("A", "AAAA"):
        version = 4 if rtype == "A" else 6
        try:
            address = ipaddress.ip_address(content)
        except ValueError:
            return f"{content!r:.60} is not an IPv{version} address"
        if "%" in content:
            return f"{content!r} names a network interface (a scope), which DNS cannot hold"
        if address.version != version:
            return f"{content!r} is an IPv{address.version} address, {rtype} needs IPv{version}"
    elif rtype == "CNAME":
        try:
            host_name(content, "target")
        except ValueError as exc:
            return str(exc)
    elif rtype == "TXT":
        if len(content) > TXT_MAX:
            return f"has {len(content)} characters, more than {TXT_MAX}"
        if not content.isprintable():
            return "holds a line break or another unprintable character"
    return ""


def txt_chunks(content: str) -> list[str]:
    """``content`` cut into strings of at most 255 bytes (UTF-8), never inside a character."""
    chunks, current, size = [], "", 0
    for char in content:
        width = len(char.encode())
        if size + width > TXT_STRING_MAX:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    return [*chunks, current]
