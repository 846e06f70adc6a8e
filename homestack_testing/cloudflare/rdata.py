"""The fake API's rules for record types with parts: MX, SRV and CAA.

As the v4 API does it: MX takes ``content`` (the mail host) and a separate ``priority``; SRV
and CAA take a structured ``data`` object, from which the API computes ``content`` itself
(SRV ``weight port target`` with the priority returned beside it; CAA ``flags tag "value"``)
and ignores any content sent. Codes the real API is known to answer: 9100 "priority is a
required field." (MX), 9009 (MX content not a host name), 9101 "<field> is a required data
field." (one per missing SRV or CAA field). Out-of-range numbers, an unknown CAA tag and an
SRV target that is no host name answer 1004 with a precise message.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from homestack_testing.cloudflare.errors import invalid, invalid_all

STRUCTURED = frozenset({"SRV", "CAA"})
SRV_FIELDS = ("priority", "weight", "port", "target")
CAA_FIELDS = ("flags", "tag", "value")
CAA_TAGS = frozenset({"issue", "issuewild", "iodef"})
_LABEL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")


@dataclass(frozen=True)
class Shaped:
    """What the API stores of a record's value: content, priority and data."""

    content: str
    priority: int | None = None
    data: dict[str, Any] | None = None


def shaped(rtype: str, body: dict[str, Any]) -> Shaped | None:
    """The stored value of an MX, SRV or CAA record (None for other types)."""
    if rtype == "MX":
        return _mx(body)
    if rtype == "SRV":
        return _srv(_data(body, SRV_FIELDS))
    if rtype == "CAA":
        return _caa(_data(body, CAA_FIELDS))
    return None


def _mx(body: dict[str, Any]) -> Shaped:
    if body.get("priority") is None:
        raise invalid(9100, "priority is a required field.")
    priority = _number(body["priority"], "priority", 65535)
    content = str(body.get("content") or "")
    if not is_host(content):
        raise invalid(9009, "Change the content of your MX record to be a hostname (and not "
                      "an IP address).")
    return Shaped(_bare(content), priority)


def _srv(data: dict[str, Any]) -> Shaped:
    priority = _number(data["priority"], "priority", 65535)
    weight = _number(data["weight"], "weight", 65535)
    port = _number(data["port"], "port", 65535)
    target = str(data["target"])
    if not is_host(target):
        raise invalid(1004, f"SRV target {target!r} is not a valid hostname.")
    target = _bare(target)
    return Shaped(f"{weight} {port} {target}", priority,
                  {"priority": priority, "weight": weight, "port": port, "target": target})


def _caa(data: dict[str, Any]) -> Shaped:
    flags = _number(data["flags"], "flags", 255)
    tag, value = str(data["tag"]), str(data["value"])
    if tag not in CAA_TAGS:
        raise invalid(1004, f"CAA tag {tag!r} is not one of issue, issuewild, iodef.")
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return Shaped(f'{flags} {tag} "{quoted}"', None,
                  {"flags": flags, "tag": tag, "value": value})


def _data(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``data`` with every one of ``fields`` (9101 for each one missing)."""
    data = body.get("data")
    if not isinstance(data, dict):
        data = {}
    missing = [f for f in fields if data.get(f) is None or data.get(f) == ""]
    if missing:
        raise invalid_all([(9101, f"{f} is a required data field.") for f in missing])
    return data


def _number(value: Any, field: str, top: int) -> int:
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or not 0 <= value <= top:
        raise invalid(1004, f"{field} must be a number between 0 and {top}, not {value!r}.")
    return int(value)


def _bare(host: str) -> str:
    """A host name as the API stores it: without the final dot (the root stays ``.``)."""
    return host if host == "." else host.rstrip(".")


def is_host(text: str) -> bool:
    """True for a host name (or ``.``, the root of a null MX or SRV); never an address."""
    if text == ".":
        return True
    try:
        ipaddress.ip_address(text)
        return False
    except ValueError:
        pass
    labels = text.rstrip(".").split(".")
    return bool(text) and all(_LABEL.match(label) for label in labels) and (
        not labels[-1].isdigit())
