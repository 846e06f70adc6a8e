"""Service account tokens: ``TokenRequest`` issues them, ``TokenReview`` checks them.

What a real API server does for an integration that verifies a pod's identity (Vault's and
OpenBao's Kubernetes auth): ``POST .../serviceaccounts/NAME/token`` returns a JWT bound to the
service account (it must exist; ``expirationSeconds`` is at least 600), and ``POST
/apis/authentication.k8s.io/v1/tokenreviews`` answers whether a token is valid and for whom.
A review needs a bearer token itself (401 without one the server issued) and a token (400), and
vouches for a token only for the audiences asked (the server's own when none are) and while it
has not expired and its service account was not deleted or re-created (another UID).
The JWT carries the claims kube-apiserver writes; its signature is random bytes: only this
server can vouch for its tokens, through a review, as with a real cluster whose keys the
verifier does not hold.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from .errors import ApiError, bad_request, invalid
from .store import Store

ISSUER = "https://kubernetes.default.svc.cluster.local"
MIN_EXPIRATION = 600
DEFAULT_EXPIRATION = 3600


@dataclass(frozen=True)
class _Issued:
    namespace: str
    name: str
    uid: str
    audiences: tuple[str, ...]
    expires: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenAuthority:
    """The tokens this server issued, and their reviews."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._issued: dict[str, _Issued] = {}

    def request(self, namespace: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """A TokenRequest for the service account ``namespace/name``."""
        account = self.store.get(self._kind("serviceaccounts"), namespace, name)  # 404
        spec = body.get("spec") or {}
        seconds = int(spec.get("expirationSeconds") or DEFAULT_EXPIRATION)
        if seconds < MIN_EXPIRATION:
            raise invalid("TokenRequest", "authentication.k8s.io", name,
                          "spec.expirationSeconds",
                          f"may not specify a duration less than {MIN_EXPIRATION} seconds")
        audiences = tuple(spec.get("audiences") or (ISSUER,))
        uid = account["metadata"]["uid"]
        now = int(time.time())
        claims = {
            "aud": list(audiences), "exp": now + seconds, "iat": now, "nbf": now,
            "iss": ISSUER, "sub": f"system:serviceaccount:{namespace}:{name}",
            "kubernetes.io": {"namespace": namespace,
                              "serviceaccount": {"name": name, "uid": uid}},
        }
        header = {"alg": "RS256", "kid": "kubeapi-fake"}
        token = ".".join((_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()),
                          _b64(secrets.token_bytes(256))))
        with self._lock:
            self._issued[token] = _Issued(namespace, name, uid, audiences, now + seconds)
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + seconds))
        return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                "metadata": {"name": name, "namespace": namespace},
                "spec": {"audiences": list(audiences), "expirationSeconds": seconds},
                "status": {"token": token, "expirationTimestamp": expires}}

    def review(self, body: dict[str, Any], bearer: str) -> dict[str, Any]:
        """A TokenReview of ``spec.token``, asked by the holder of ``bearer``."""
        if self._valid(bearer) is None:
            raise ApiError(401, "Unauthorized", "Unauthorized")
        spec = body.get("spec") or {}
        token = spec.get("token")
        if not isinstance(token, str) or not token:  # the registry's 400, before validation
            raise bad_request("token is required for TokenReview in authentication")
        found = self._valid(token)
        # no audiences asked: the server's own (its issuer), as kube-apiserver's API audiences
        wanted = tuple(spec.get("audiences") or (ISSUER,))
        matched = [a for a in wanted if found is not None and a in found.audiences]
        status: dict[str, Any]
        if found is None:
            status = {"authenticated": False, "error": "invalid bearer token"}
        elif not matched:
            status = {"authenticated": False,
                      "error": "token audiences are invalid for the target audiences"}
        else:
            status = {"authenticated": True, "audiences": matched,
                      "user": {"username": f"system:serviceaccount:{found.namespace}:"
                                           f"{found.name}",
                               "uid": found.uid,
                               "groups": ["system:serviceaccounts",
                                          f"system:serviceaccounts:{found.namespace}",
                                          "system:authenticated"]}}
        return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                "metadata": {"creationTimestamp": None}, "spec": spec, "status": status}

    def _valid(self, token: str) -> _Issued | None:
        with self._lock:
            found = self._issued.get(token)
        if found is None or found.expires <= time.time():
            return None
        account = self.store.peek(self._kind("serviceaccounts"), found.namespace, found.name)
        if account is None or account["metadata"].get("uid") != found.uid:
            return None  # deleted, or deleted and created again: another identity
        return found

    def _kind(self, plural: str) -> Any:
        kind = self.store.registry.get("", "v1", plural)
        assert kind is not None
        return kind
