"""Secret values are found by their shape (tokens, keys, connection strings) in env, args,
Helm values and the Site's URLs, whatever the name they hide under; references are not."""

from __future__ import annotations

from typing import Any

import pytest

from homestack.kit.helm import HelmRelease
from homestack.model import StateSettings, VaultSettings
from homestack.policy import check_all, rule

from .support import SITE, deployment, resources_of, stacks

JWT = ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
SHAPED = [
    ("a bearer token", "Bearer 8c1f0e2a9b7d6c5e4f3a"),
    ("a connection string with a password", "Server=db;Database=x;Password=hunter2;"),
    ("a password argument", "--password=hunter2"),
    ("a GitHub token", "ghp_" + "a1B2c3D4" * 5),
    ("an AWS access key id", "AKIAIOSFODNN7EXAMPLE"),
    ("a JWT", JWT),
    ("a private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n"),
]
REFERENCES = ["Server=db;Password=$(DB_PASSWORD)", "$(TOKEN)", "--password=${PASSWORD}",
              "Bearer $(API_TOKEN)", "--password-file=/run/secrets/pw", "Authorization"]


def _env(value: str) -> list[Any]:
    objects = resources_of([("app", deployment(containers=[{
        "name": "app", "image": "docker.io/library/nginx:1.27.2",
        "env": [{"name": "SETTINGS", "value": value}],
        "args": ["--mode", "fast"],
        "resources": {"requests": {"cpu": "10m", "memory": "32Mi"},
                      "limits": {"memory": "32Mi"}}}]))])
    return check_all(SITE, stacks(), objects, rules=[rule("HS-SECRET-001")])


@pytest.mark.parametrize(("what", "value"), SHAPED)
def test_a_secret_shaped_env_value_is_an_error_whatever_its_name(what: str, value: str) -> None:
    [finding] = _env(value)
    assert finding.message.endswith(f"sets SETTINGS to {what}")


@pytest.mark.parametrize("value", REFERENCES)
def test_references_and_settings_are_not_secrets(value: str) -> None:
    assert _env(value) == []


@pytest.mark.parametrize(("args", "found"), [
    (["--password=hunter2"], True), (["--token", "x", "--secret=abc"], True),
    (["--password-file=/run/x"], False), (["sentinel auth-pass primary \"$REDIS_PASSWORD\""],
                                           False),
])
def test_secret_shaped_args_are_errors(args: list[str], found: bool) -> None:
    objects = resources_of([("app", deployment(containers=[{
        "name": "app", "image": "docker.io/library/nginx:1.27.2", "args": args,
        "resources": {"requests": {"cpu": "10m", "memory": "32Mi"},
                      "limits": {"memory": "32Mi"}}}]))])
    findings = check_all(SITE, stacks(), objects, rules=[rule("HS-SECRET-001")])
    assert bool(findings) is found
    if found:
        assert "a password argument in its args" in findings[0].message


def _release(values: dict[str, Any]) -> list[Any]:
    homelab = stacks()
    homelab["app"].add(HelmRelease(name="app", chart="app", repo="https://charts.example.org",
                                   version="1.0.0", values=values))
    return check_all(SITE, homelab, {}, rules=[rule("HS-SECRET-004")])


@pytest.mark.parametrize(("values", "path", "what"), [
    ({"adminPassword": "hunter2"}, "values.adminPassword", "a literal value"),
    ({"db": {"password": "hunter2", "host": "db"}}, "values.db.password", "a literal value"),
    ({"auth": {"apiToken": "s3cr3tvalue"}}, "values.auth.apiToken", "a literal value"),
    ({"extraEnv": [{"name": "X", "value": "Bearer 8c1f0e2a9b7d6c5e4f3a"}]},
     "values.extraEnv[0].value", "a bearer token"),
    ({"url": "postgresql://hs:hunter2@db/app"}, "values.url", "a URL with a password in it"),
])
def test_a_literal_secret_in_helm_values_is_an_error(values: dict[str, Any], path: str,
                                                     what: str) -> None:
    [finding] = _release(values)
    assert finding.message == f"release app: {path} holds {what}"
    assert "existingSecret" in finding.fix


@pytest.mark.parametrize("values", [
    {"existingSecret": "app-credentials", "passwordKey": "password"},
    {"auth": {"enabled": True, "passwordFile": "/run/secrets/pw"}},
    {"password": "{{ .Values.global.password }}"},
    {"replicas": 2, "image": {"tag": "1.2.3"}},
])
def test_helm_values_that_name_a_secret_pass(values: dict[str, Any]) -> None:
    assert _release(values) == []


@pytest.mark.parametrize(("update", "field"), [
    ({"state": StateSettings(url="postgresql://hs:hunter2@db/homestack")}, "state.url"),
    ({"state": StateSettings(url="postgresql:hs:hunter2@db/homestack")}, "state.url"),
    ({"vault": VaultSettings(address="https://root:hunter2@vault.home.arpa")},
     "vault.address"),
])
def test_a_password_in_the_sites_urls_is_an_error(update: dict[str, Any], field: str) -> None:
    site = SITE.model_copy(update=update)
    [finding] = check_all(site, stacks(), {}, rules=[rule("HS-SECRET-005")])
    assert finding.message == f"site.{field} holds a password"
    assert "HOMESTACK_STATE_URL" in finding.fix


def test_the_sites_urls_without_passwords_pass() -> None:
    site = SITE.model_copy(update={"state": StateSettings(url="postgresql://hs@db/homestack")})
    assert check_all(site, stacks(), {}, rules=[rule("HS-SECRET-005")]) == []
