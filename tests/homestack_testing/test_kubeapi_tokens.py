"""Service account tokens: issued by TokenRequest, vouched for by TokenReview, as a real server."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from homestack_testing.kubeapi import KubeApiServer

SA_URL = "/api/v1/namespaces/default/serviceaccounts"
REVIEW_URL = "/apis/authentication.k8s.io/v1/tokenreviews"


def _post(server: KubeApiServer, path: str, body: dict[str, Any],
          bearer: str = "") -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def _account(server: KubeApiServer, name: str) -> None:
    code, _ = _post(server, SA_URL, {"apiVersion": "v1", "kind": "ServiceAccount",
                                     "metadata": {"name": name}})
    assert code == 201


def _token(server: KubeApiServer, name: str, **spec: Any) -> str:
    code, body = _post(server, f"{SA_URL}/{name}/token",
                       {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                        "spec": spec})
    assert code == 201, body
    return str(body["status"]["token"])


def _review(server: KubeApiServer, token: str, bearer: str, **spec: Any
            ) -> tuple[int, dict[str, Any]]:
    return _post(server, REVIEW_URL, {"apiVersion": "authentication.k8s.io/v1",
                                      "kind": "TokenReview", "spec": {"token": token, **spec}},
                 bearer)


def test_an_issued_token_reviews_as_its_service_account(kubeapi: KubeApiServer) -> None:
    _account(kubeapi, "app")
    token = _token(kubeapi, "app")
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["sub"] == "system:serviceaccount:default:app"
    assert claims["kubernetes.io"]["serviceaccount"]["name"] == "app"
    code, review = _review(kubeapi, token, bearer=token)
    assert code == 201 and review["status"]["authenticated"] is True
    user = review["status"]["user"]
    assert user["username"] == "system:serviceaccount:default:app"
    assert user["uid"] == claims["kubernetes.io"]["serviceaccount"]["uid"]


def test_a_review_needs_a_bearer_the_server_issued(kubeapi: KubeApiServer) -> None:
    _account(kubeapi, "app")
    token = _token(kubeapi, "app")
    assert _review(kubeapi, token, bearer="")[0] == 401
    assert _review(kubeapi, token, bearer="made-up")[0] == 401


def test_unknown_expired_or_orphaned_tokens_do_not_authenticate(kubeapi: KubeApiServer) -> None:
    _account(kubeapi, "app")
    _account(kubeapi, "reviewer")
    reviewer = _token(kubeapi, "reviewer")
    token = _token(kubeapi, "app")
    forged = token.rsplit(".", 1)[0] + ".AAAA"
    assert _review(kubeapi, forged, reviewer)[1]["status"] == {
        "authenticated": False, "error": "invalid bearer token"}
    assert not _review(kubeapi, token, reviewer, audiences=["vault"])[1]["status"][
        "authenticated"]
    urllib.request.urlopen(urllib.request.Request(f"{kubeapi.url}{SA_URL}/app",
                                                  method="DELETE"), timeout=10).close()
    assert _review(kubeapi, token, reviewer)[1]["status"]["authenticated"] is False
    _account(kubeapi, "app")  # the same name again is another identity
    assert _review(kubeapi, token, reviewer)[1]["status"]["authenticated"] is False


@pytest.mark.parametrize(("name", "spec", "code"), [
    ("ghost", {}, 404),  # no such service account
    ("app", {"expirationSeconds": 60}, 422),  # shorter than ten minutes
])
def test_token_requests_the_server_refuses(kubeapi: KubeApiServer, name: str,
                                           spec: dict[str, Any], code: int) -> None:
    _account(kubeapi, "app")
    assert _post(kubeapi, f"{SA_URL}/{name}/token", {"spec": spec})[0] == code


def test_a_review_without_a_token_is_a_bad_request(kubeapi: KubeApiServer) -> None:
    _account(kubeapi, "app")
    reviewer = _token(kubeapi, "app")
    code, body = _review(kubeapi, "", reviewer)
    assert code == 400 and body["message"] == "token is required for TokenReview in authentication"


def test_a_token_for_another_audience_is_valid_only_when_that_audience_is_asked(
        kubeapi: KubeApiServer) -> None:
    _account(kubeapi, "app")
    reviewer = _token(kubeapi, "app")
    token = _token(kubeapi, "app", audiences=["vault"])
    assert _review(kubeapi, token, reviewer)[1]["status"]["authenticated"] is False
    asked = _review(kubeapi, token, reviewer, audiences=["vault", "other"])[1]["status"]
    assert asked["authenticated"] is True and asked["audiences"] == ["vault"]
