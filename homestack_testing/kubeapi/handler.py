"""HTTP front end: routes real Kubernetes API paths to the store, and wraps every
request with latency, fault injection and accounting."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from . import admission, discovery, options, pagination, scale
from . import store as store_module
from .errors import ApiError, PageNotFound, bad_request, method_not_allowed
from .kinds import ResourceKind
from .selectors import field_selector, label_selector
from .stats import RequestRecord
from .store import APPLY, WriteCtx, check_name

if TYPE_CHECKING:
    from .server import KubeApiServer

NOT_FOUND = ApiError(404, "NotFound", "the server could not find the requested resource")


@dataclass
class Route:
    """A resource request, parsed from its path."""

    rk: ResourceKind
    namespace: str
    name: str
    subresource: str


def _split_resource_path(parts: list[str]) -> tuple[str, str, list[str]] | None:
    """["api","v1",...] or ["apis",g,v,...] -> (group, version, rest)."""
    if len(parts) >= 3 and parts[0] == "api" and parts[1] == "v1":
        return "", "v1", parts[2:]
    if len(parts) >= 4 and parts[0] == "apis":
        return parts[1], parts[2], parts[3:]
    return None


def parse_route(app: KubeApiServer, parts: list[str]) -> Route | None:
    split = _split_resource_path(parts)
    if split is None:
        return None
    group, version, rest = split
    ns = ""
    is_ns_kind = group == "" and rest[:1] == ["namespaces"]
    if rest[:1] == ["namespaces"] and len(rest) >= 3 and not (
        is_ns_kind and len(rest) == 3 and rest[2] in ("status", "finalize")
    ):
        ns, rest = rest[1], rest[2:]
    if not rest or len(rest) > 3:
        return None
    rk = app.registry.get(group, version, rest[0])
    if rk is None or (ns and not rk.namespaced):
        return None
    name = rest[1] if len(rest) > 1 else ""
    sub = rest[2] if len(rest) > 2 else ""
    if sub and not ((sub == "status" and rk.has_status) or (sub == "scale" and rk.has_scale)
                    or (sub == "finalize" and rk.is_namespace)):
        return None
    return Route(rk, ns, name, sub)


def verb_of(method: str, route: Route | None, query: dict[str, str]) -> str:
    if method == "GET":
        if route is not None and not route.name:
            return "watch" if query.get("watch") in ("1", "true") else "list"
        return "get"
    if method == "DELETE" and route is not None and not route.name:
        return "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}.get(
        method, method.lower())


class Handler(BaseHTTPRequestHandler):
    server_version = "kubeapi-fake"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, each response would wait for
    # the client's delayed ACK (about 40 ms on loopback).
    disable_nagle_algorithm = True

    @property
    def app(self) -> KubeApiServer:
        return self.server.app  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log lives in app.stats, not on stderr

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()  # trailer terminator
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after each chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, code: int, doc: Any, headers: dict[str, str] | None = None,
              warnings: list[str] | None = None) -> None:
        data = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        for text in warnings or []:
            # RFC 7234 warn-code 299 with the text as a quoted string, as the real server.
            self.send_header("Warning", "299 - " + json.dumps(text))
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self, method: str) -> None:
        started = time.monotonic()
        url = urlsplit(self.path)
        lists = parse_qs(url.query)
        query = {k: v[-1] for k, v in lists.items()}
        parts = [p for p in url.path.split("/") if p]
        body = self._body()
        if parts[:1] == ["_kubeapi"]:
            self._private(method, parts[1:])
            return
        if parts == ["openapi", "v2"]:
            # An empty protobuf message is a valid, empty OpenAPI v2 document: clients
            # that insist on downloading it get nothing to validate against, and
            # validate server-side instead (the v3 index says PATCH takes fieldValidation).
            self.send_response(200)
            self.send_header("Content-Type",
                             "application/octet-stream")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.app.tick()
        if "protobuf" in (self.headers.get("Content-Type") or ""):
            err = ApiError(415, "UnsupportedMediaType",
                           "the body of the request was in an unknown format - accepted media "
                           "types include: application/json, application/yaml")
            self._send(415, err.status())
            return
        if method == "POST" and _token_call(parts):
            self._token(parts, body, started)
            return
        route = parse_route(self.app, parts)
        verb = verb_of(method, route, query)
        resource = ""
        if route is not None:
            resource = route.rk.plural + (f"/{route.subresource}" if route.subresource else "")
        rec = RequestRecord(method, self.path, verb, resource or "discovery",
                            route.namespace if route else "", route.name if route else "", 0, 0)
        if self.app.latency_s:
            time.sleep(self.app.latency_s)
        fault = self.app.faults.decide(verb, route.rk.plural) if route else None
        headers: dict[str, str] | None = None
        self._warnings: list[str] = []
        try:
            if fault is not None:
                rec.fault = fault.action
                if fault.action != "drop":
                    raise ApiError(fault.code, _REASONS.get(fault.code, "InternalError"),
                                   f"injected fault ({fault.code})",
                                   headers={"Retry-After": fault.retry_after}
                                   if fault.retry_after else None)
                code, doc = 0, None
            elif route is None:
                code, doc = 200, self._non_resource(method, parts)
            else:
                code, doc = self._resource(method, verb, route, lists, body)
        except PageNotFound as err:
            code, doc = err.code, err
        except ApiError as err:
            code, doc, headers = err.code, err.status(), err.headers
        # Record before answering, so a client that got its answer always finds its request
        # in the log and the counters.
        rec.code = code
        rec.duration_ms = round((time.monotonic() - started) * 1000, 3)
        self.app.stats_log.record(rec)
        if fault is not None and fault.action == "drop":
            self._drop()
        elif isinstance(doc, PageNotFound):
            self._send_text(code, doc.message + "\n")
        else:
            self._send(code, doc, headers, self._warnings)

    def _send_text(self, code: int, text: str) -> None:
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _token(self, parts: list[str], body: bytes, started: float) -> None:
        """TokenRequest (``.../serviceaccounts/NAME/token``) or TokenReview."""
        tokens = self.app.tokens
        review = parts[-1] == "tokenreviews"
        headers: dict[str, str] | None = None
        try:
            if review:
                bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                code, doc = 201, tokens.review(_json_body(body), bearer.strip())
            else:
                code, doc = 201, tokens.request(parts[3], parts[5], _json_body(body))
        except ApiError as err:
            code, doc, headers = err.code, err.status(), err.headers
        self.app.stats_log.record(RequestRecord(
            "POST", self.path, "create", "tokenreviews" if review else "serviceaccounts/token",
            "" if review else parts[3], "" if review else parts[5], code,
            round((time.monotonic() - started) * 1000, 3)))
        self._send(code, doc, headers)

    def _private(self, method: str, parts: list[str]) -> None:
        if parts == ["stats"] and method == "GET":
            self._send(200, self.app.stats_log.to_json())
        elif parts == ["reset"] and method == "POST":
            self.app.stats_log.reset()
            self._send(200, {"status": "ok"})
        else:
            self._send(404, NOT_FOUND.status())

    def _non_resource(self, method: str, parts: list[str]) -> Any:
        split = _split_resource_path(parts)
        if split is not None and len(parts) > (2 if parts[0] == "api" else 3):
            # A kind the server does not serve: 404 on every verb, as the real one; a
            # Status under a served group version, the mux's plain text elsewhere.
            if split[1] in self.app.registry.groups().get(split[0], []):
                raise NOT_FOUND
            raise PageNotFound()
        if method != "GET":
            raise method_not_allowed(f"{method} is not supported here")
        reg = self.app.registry
        path = "/".join(parts)
        if path == "api":
            return discovery.api_versions(f"127.0.0.1:{self.app.port}")
        if path == "apis":
            return discovery.api_group_list(reg)
        if path == "version":
            return discovery.VERSION_INFO
        if path in ("healthz", "readyz", "livez"):
            return "ok"
        doc: Any = None
        if path == "openapi/v3":
            return discovery.openapi_v3_index(reg)
        if parts[:2] == ["openapi", "v3"] and len(parts) in (4, 5):
            gv = parts[2:]
            group, version = ("", gv[1]) if gv[0] == "api" else (gv[1], gv[-1])
            return discovery.openapi_v3_group_version(reg, group, version)
        if path == "api/v1":
            doc = discovery.resource_list(reg, "", "v1")
        elif len(parts) == 2 and parts[0] == "apis":
            doc = discovery.api_group(reg, parts[1])
        elif len(parts) == 3 and parts[0] == "apis":
            doc = discovery.resource_list(reg, parts[1], parts[2])
        if doc is None:
            raise PageNotFound()
        return doc

    def _ctx(self, query: options.Query, subresource: str) -> WriteCtx:
        manager = (query.get("fieldManager") or [""])[-1]
        agent = (self.headers.get("User-Agent") or "unknown").split("/")[0]
        return WriteCtx(
            manager=manager or agent or "unknown",
            explicit_manager=bool(manager),
            dry_run=options.dry_run(query),
            force=(query.get("force") or [""])[-1] in ("true", "1"),
            subresource=subresource,
            field_validation=options.field_validation(query),
            warnings=self._warnings,
        )

    def _resource(
        self, method: str, verb: str, route: Route, query: options.Query, body: bytes
    ) -> tuple[int, Any]:
        store, rk, ns, name = self.app.store, route.rk, route.namespace, route.name
        single = {k: v[-1] for k, v in query.items()}
        if verb == "watch":
            raise method_not_allowed("watch is not supported by this test server")
        if verb == "list":
            return 200, store.list_kind(
                rk, ns or None, label_selector(single.get("labelSelector")),
                field_selector(single.get("fieldSelector")),
                pagination.parse_limit(single.get("limit")), single.get("continue"))
        if route.subresource == "finalize" and verb != "update":
            raise method_not_allowed(f"{method} is not supported on namespaces/finalize")
        if verb == "get":
            obj = store.get(rk, ns, name)
            return 200, scale.scale_of(obj) if route.subresource == "scale" else obj
        if verb == "deletecollection" and not rk.is_namespace:
            opts = options.delete_options(body, query)
            ctx = self._ctx(query, "")
            ctx.propagation, ctx.dry_run = opts.propagation, opts.dry_run
            return 200, store.delete_collection(
                rk, ns or None, label_selector(single.get("labelSelector")),
                field_selector(single.get("fieldSelector")), ctx)
        ptype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        options.check_write(verb, query, ptype)
        ctx = self._ctx(query, route.subresource)
        if verb == "create":
            if name:
                raise method_not_allowed("POST to a named resource is not allowed")
            return 201, store.create(rk, ns, _json_body(body), ctx)
        if not name:
            raise method_not_allowed(f"{method} on a collection is not supported")
        if route.subresource == "scale" and verb in ("update", "patch"):
            return 200, self._scale(route, ptype, body, ctx, verb == "update")
        if verb == "update":
            obj = _json_body(body)
            check_name(obj, name, ns)
            if route.subresource == "finalize":
                return 200, store.finalize(rk, name, obj, ctx)
            existed = store.peek(rk, ns, name) is not None
            return (200 if existed else 201), store.replace(rk, ns, name, obj, ctx)
        if verb == "patch":
            existed = store.peek(rk, ns, name) is not None
            obj = store.patch(rk, ns, name, ptype, body, ctx)
            return (200 if existed else 201), obj
        if verb == "delete":
            opts = options.delete_options(body, query)
            admission.admit_delete(rk, name)
            ctx.propagation, ctx.dry_run = opts.propagation, opts.dry_run
            return 200, store.delete(rk, ns, name, ctx, opts.uid, opts.resource_version)
        raise method_not_allowed(f"{method} is not supported")

    def _scale(self, route: Route, ptype: str, body: bytes, ctx: WriteCtx, put: bool) -> Any:
        """PUT or PATCH of a ``/scale``: the patch applies to the workload's Scale."""
        store, rk, ns, name = self.app.store, route.rk, route.namespace, route.name
        apply = not put and ptype == APPLY
        with store.lock:  # the patched Scale must come from the object it is written to
            if put or apply:
                wanted = _json_body(body) if put else store_module.parse_apply(body)
            else:
                current = scale.scale_of(store.get(rk, ns, name))
                wanted = store_module.patched(rk, current, ptype, body)
            return scale.scale_of(store.scale(rk, ns, name, wanted, ctx, apply=apply))


_REASONS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
            409: "Conflict", 410: "Expired", 422: "Invalid", 429: "TooManyRequests",
            500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout"}


def _token_call(parts: list[str]) -> bool:
    """A TokenReview, or a TokenRequest for a service account."""
    if parts == ["apis", "authentication.k8s.io", "v1", "tokenreviews"]:
        return True
    return len(parts) == 7 and parts[:3] == ["api", "v1", "namespaces"] \
        and parts[4] == "serviceaccounts" and parts[6] == "token"


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body or b"{}")
    except ValueError as exc:
        raise bad_request(f"invalid JSON body: {exc}") from exc
    if not isinstance(doc, dict):
        raise bad_request("request body must be a JSON object")
    return doc
