"""Rules on secrets: no secret values in plain env, no literal Secret objects."""

from __future__ import annotations

import re
from collections.abc import Iterator

from homestack.model.redact import has_userinfo_secret
from homestack.policy import _manifest as m
from homestack.policy.context import PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity

# Whole words of a name (split at '_', '-', '.'): DB_PASSWORD, ADMIN_PW, API-KEY.
_SECRET_WORDS = frozenset({"PASSWORD", "PASSWD", "PASS", "PW", "PWD", "TOKEN", "SECRET", "KEY",
                           "APIKEY", "CREDENTIALS", "CREDENTIAL", "CREDS", "PRIVATE",
                           "PASSPHRASE", "SALT", "HMAC"})
# Words that name a secret only as the last word: SMTP_AUTH, BASIC_AUTH, SENTRY_DSN (but not
# AUTH_HEADER or REMOTE_AUTH_HEADER, which name a setting).
_SECRET_LAST_WORDS = frozenset({"AUTH", "PIN", "COOKIE", "BEARER", "DSN", "OTP", "TOTP",
                                "SIGNATURE", "WEBHOOK"})
# Inside a word: DBPASSWORD, GITHUBTOKEN, APISECRET, SECRETKEY.
_SECRET_PARTS = ("PASSWORD", "PASSWD", "PASSPHRASE", "TOKEN", "SECRET", "APIKEY",
                 "ACCESSKEY", "PRIVATEKEY", "CREDENTIAL")
# Names of settings about a secret, not the secret (a URL with a password is caught by value).
_REFERENCE_SUFFIXES = ("_FILE", "_PATH", "_DIR", "_NAME", "_ID", "_URL", "_URI", "_HEADER",
                       "_ENDPOINT", "_HOST", "_PORT", "_USER", "_USERNAME", "_EMAIL", "_MODE",
                       "_METHOD", "_TYPE", "_ENABLED", "_ACCESS", "_PROVIDER")
# Values that are plainly not secrets whatever the name says (AUTH_ENABLED=true).
_NOT_SECRET = re.compile(r"(?i)^(true|false|yes|no|on|off|none|disabled|enabled|required|"
                         r"optional|[0-9]{1,2})$")


def looks_secret(name: str) -> bool:
    """True for names like DB_PASSWORD, ADMIN_PW, SMTP_AUTH or GITHUBTOKEN (not *_FILE)."""
    upper = name.upper()
    if upper.endswith(_REFERENCE_SUFFIXES):
        return False
    words = [word for word in re.split(r"[^A-Z0-9]+", upper) if word]
    return (bool(set(words) & _SECRET_WORDS) or bool(words and words[-1] in _SECRET_LAST_WORDS)
            or any(part in upper for part in _SECRET_PARTS))


def secret_like(name: str, value: object) -> str:
    """Why ``name=value`` looks like a secret value, or "" (references and flags never do)."""
    if not isinstance(value, str | int) or isinstance(value, bool) or value in ("", None):
        return ""
    text = str(value)
    if has_userinfo_secret(text):
        return "a URL with a password in it"
    if looks_secret(name) and not _NOT_SECRET.match(text.strip()) and not looks_like_path(text):
        return "a literal value"
    return ""


def looks_like_path(value: object) -> bool:
    """True for a file path (``/opt/id_rsa``, ``~/.ssh/key``): it names a secret, it is none."""
    text = str(value).strip()
    return text.startswith(("/", "~/", "./")) and not any(c.isspace() for c in text)


def _plain_env(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        for container in m.containers(m.pod_spec(item.body)):
            where = f"container {container.get('name', '?')!r}"
            for env in m.as_list(container.get("env")):
                env = m.as_dict(env)
                name = str(env.get("name", ""))
                why = secret_like(name, env.get("value"))
                if why:
                    yield Hit(item.stack, item.address, f"{where} sets {name} to {why}")
            for field in ("args", "command"):
                if any(has_userinfo_secret(str(a)) for a in m.as_list(container.get(field))):
                    yield Hit(item.stack, item.address,
                              f"{where} has a URL with a password in its {field}")


def _plain_data(ctx: PolicyContext) -> Iterator[Hit]:
    """ConfigMap data, labels and annotations are plain text too: same heuristics as env."""
    for item in ctx.of_kind("ConfigMap"):
        for key, value in sorted(m.as_dict(item.body.get("data")).items()):
            why = secret_like(key, value) if "\n" not in str(value) else (
                "a URL with a password in it" if has_userinfo_secret(str(value)) else "")
            if why:
                yield Hit(item.stack, item.address, f"ConfigMap key {key} holds {why}")
    for item in ctx.k8s:
        metadata = m.as_dict(item.body.get("metadata"))
        for field in ("labels", "annotations"):
            for key, value in sorted(m.as_dict(metadata.get(field)).items()):
                if has_userinfo_secret(str(value)):
                    yield Hit(item.stack, item.address,
                              f"{field[:-1]} {key} holds a URL with a password in it")


def _literal_secret(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("Secret"):
        keys = sorted(set(m.as_dict(item.body.get("data")))
                      | set(m.as_dict(item.body.get("stringData"))))
        if keys:
            yield Hit(item.stack, item.address,
                      f"Secret {item.name} holds literal values ({', '.join(keys)})")


RULES = (
    Rule("HS-SECRET-001", "no secret values in plain env", Severity.ERROR,
         "A literal password in a manifest lands in Git, plans, state and logs.",
         "Use a secret reference: env={NAME: vault_secret(stack, key)} (a secretKeyRef fed by an "
         "ExternalSecret from Vault); for a URL, pass the password apart as a reference",
         _plain_env, scope=Scope.STACK),
    Rule("HS-SECRET-003", "no secret values in ConfigMaps, labels or annotations",
         Severity.ERROR,
         "ConfigMaps, labels and annotations are plain text in Git, plans and state.",
         "Move the value to Vault and reference it (kit: vault_secret / external_secret); put "
         "connection URLs together from parts, the password from a Secret",
         _plain_data, scope=Scope.STACK),
    Rule("HS-SECRET-002", "no Secret objects with literal data", Severity.ERROR,
         "Secret values belong in Vault; ExternalSecrets sync them into the cluster.",
         "Store the values in Vault and declare an ExternalSecret (kit: external_secret)",
         _literal_secret, scope=Scope.STACK),
)
