"""The Cloudflare backend: the official ``cloudflare`` SDK against the v4 DNS API.

Zones are looked up by name and their records listed (every page) once per ``observe``.
Ownership is the record's comment (``heritage=homestack,site=...,stack=...``), written in the
same request as the record. The SDK retries 429 and 5xx answers itself, honouring
``Retry-After`` (``max_retries`` of the settings); what still fails is classified by the HTTP
status, never by the wording.

MX, SRV and CAA are written the way the API wants them and read back into presentation form
(``homestack.model.dns_rdata``), so a written record plans as unchanged:

- MX: ``content`` is the mail host and ``priority`` a separate number;
- SRV: ``data`` {priority, weight, port, target}; Cloudflare computes ``content``
  (``weight port target``) and returns the priority beside it;
- CAA: ``data`` {flags, tag, value}; Cloudflare computes ``content`` (``0 issue "ca.org"``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import cloudflare
from cloudflare import Cloudflare

from homestack.model.dns_rdata import Caa, Mx, Srv, parse
from homestack.model.dns_settings import CloudflareDns
from homestack.providers.dns.backend import SettingsZones
from homestack.providers.dns.records import Owner, Record, Wanted, ZoneRecords, group
from homestack.providers.environment import required_env
from homestack.providers.errors import (
    InvalidError,
    NotFoundError,
    classify_http,
    unreachable,
)

T = TypeVar("T")


def _errors(body: object) -> str:
    """``code message`` of each error in a Cloudflare error body (and its error chain)."""
    if not isinstance(body, dict):
        return ""
    found = []
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            found.append(f"{error.get('code')} {error.get('message')}")
            found += [f"{e.get('code')} {e.get('message')}" for e in error.get("error_chain", [])
                      if isinstance(e, dict)]
    return "; ".join(found)


def _call(call: Callable[[], T], subject: str) -> T:
    try:
        return call()
    except cloudflare.APIStatusError as exc:
        status = exc.status_code
        raise classify_http(status, f"Cloudflare answered {status}: "
                            f"{_errors(exc.body) or exc.message}", subject=subject) from exc
    except cloudflare.APIConnectionError as exc:
        raise unreachable("Cloudflare", exc, subject=subject) from exc


class CloudflareBackend(SettingsZones):
    """The Cloudflare zones of the Site; one SDK client, no state between calls."""

    proxiable = True
    settings: CloudflareDns

    def __init__(self, settings: CloudflareDns, environ: dict[str, str] | None = None) -> None:
        token = required_env(settings.token_env, what="the Cloudflare API token",
                             subject="dns:cloudflare", environ=environ,
                             hint=f"export {settings.token_env}=<API token with Zone.DNS edit>")
        self.settings = settings
        self.client = Cloudflare(api_token=token, base_url=settings.base_url,
                                 max_retries=settings.max_retries, timeout=30.0)

    @property
    def endpoint(self) -> str:
        return f"{self.client.base_url} zones={','.join(self.zones)}"

    def observe(self) -> ZoneRecords:
        records: list[Record] = []
        handles: dict[str, str] = {}
        for zone in self.zones:
            handles[zone] = self._zone_id(zone)
            records += [_record(item) for item in self._list(handles[zone], zone)]
        return group(records, handles)

    def _list(self, zone_id: str, zone: str) -> list[Any]:
        """Every record of the zone: the SDK's iterator fetches page after page."""
        return _call(lambda: list(self.client.dns.records.list(
            zone_id=zone_id, per_page=self.settings.page_size)), f"dns:cloudflare:{zone}")

    def _zone_id(self, zone: str) -> str:
        # Zone names are unique in an account: the first page holds the match, if any.
        found = _call(lambda: self.client.zones.list(name=zone).result,
                      f"dns:cloudflare:{zone}")
        if not found:
            raise NotFoundError(f"zone {zone} is not in the Cloudflare account",
                                subject=f"dns:cloudflare:{zone}",
                                hint="Add the zone in Cloudflare or fix CloudflareDns.zones")
        return str(found[0].id)

    def create(self, zone_id: str, wanted: Wanted, owner: Owner) -> str:
        created = _call(lambda: self.client.dns.records.create(
            zone_id=zone_id, **_fields(wanted, owner)), _subject(wanted))
        return str(getattr(created, "id", "") or "")

    def update(self, zone_id: str, wanted: Wanted, owner: Owner, old: tuple[Record, ...]
               ) -> str:
        first, *extra = old
        _call(lambda: self.client.dns.records.update(
            first.id, zone_id=zone_id, **_fields(wanted, owner)), _subject(wanted))
        for record in extra:  # a record set of several records becomes the one desired
            self._delete(zone_id, record)
        return first.id

    def delete(self, zone_id: str, owner: Owner, old: tuple[Record, ...]) -> None:
        for record in old:
            self._delete(zone_id, record)

    def _delete(self, zone_id: str, record: Record) -> None:
        try:
            _call(lambda: self.client.dns.records.delete(record.id, zone_id=zone_id),
                  f"dns:cloudflare:{record.rtype}:{record.name}")
        except NotFoundError:
            pass  # already gone: the delete's goal is met

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()


def _subject(wanted: Wanted) -> str:
    return f"dns:cloudflare:{wanted.rtype}:{wanted.name}"


def _fields(wanted: Wanted, owner: Owner) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": wanted.name, "type": wanted.rtype, "ttl": wanted.ttl,
                              "comment": owner.text(), **_content_fields(wanted)}
    if wanted.proxied is not None:
        fields["proxied"] = wanted.proxied
    return fields


def _content_fields(wanted: Wanted) -> dict[str, Any]:
    """``content`` as the API takes it: MX with a separate ``priority``, SRV and CAA as
    ``data`` (sending no content: Cloudflare computes it from the data)."""
    try:
        parts = parse(wanted.rtype, wanted.content)
    except ValueError as exc:
        raise InvalidError(f"content {wanted.content!r} is not valid ({exc})",
                           subject=_subject(wanted)) from exc
    if isinstance(parts, Mx):
        return {"content": _bare(parts.host), "priority": parts.priority}
    if isinstance(parts, Srv):
        return {"data": {"priority": parts.priority, "weight": parts.weight,
                         "port": parts.port, "target": _bare(parts.target)}}
    if isinstance(parts, Caa):
        return {"data": {"flags": parts.flags, "tag": parts.tag, "value": parts.value}}
    return {"content": wanted.content}


def _bare(host: str) -> str:
    """A host name as Cloudflare stores it: without the final dot (the root stays ``.``)."""
    return host if host == "." else host.rstrip(".")


def _record(item: Any) -> Record:
    owner, _ = Owner.parse(getattr(item, "comment", None))
    return Record(str(item.name), str(item.type), _content(item), int(item.ttl),
                  bool(getattr(item, "proxied", False)), owner, str(item.id))


def _content(item: Any) -> str:
    """The record's content in presentation form, joined from the API's parts."""
    rtype, content = str(item.type), str(item.content or "")
    data = getattr(item, "data", None)
    priority = _part(data, "priority")
    if priority is None:
        priority = getattr(item, "priority", None)
    if rtype == "MX" and priority is not None:
        return Mx(int(priority), content).text()
    if rtype == "SRV" and data is not None:
        return Srv(int(priority or 0), int(_part(data, "weight") or 0),
                   int(_part(data, "port") or 0), str(_part(data, "target") or "")).text()
    if rtype == "SRV" and priority is not None:
        return f"{int(priority)} {content}"  # content alone is "weight port target"
    if rtype == "CAA" and data is not None:
        return Caa(int(_part(data, "flags") or 0), str(_part(data, "tag") or ""),
                   str(_part(data, "value") or "")).text()
    return content


def _part(data: Any, name: str) -> Any:
    """One field of a record's ``data`` (an SDK model, or a dict for types it lacks)."""
    if data is None:
        return None
    if isinstance(data, dict):
        return data.get(name)
    return getattr(data, name, None)
