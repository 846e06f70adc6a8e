"""Rules on secrets: no secret values in plain env, ConfigMaps, Helm values or the Site's
settings, no literal Secret objects. A value is a secret by its name (DB_PASSWORD holding a
literal) or by its shape (a token, a key, a connection string with a password)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from homestack.catalog.helm import releases
from homestack.model.redact import has_userinfo_secret
from homestack.model.secret_shapes import is_reference, secret_shape
from homestack.policy import _manifest as m
from homestack.policy.context import PolicyContext
from homestack.policy.rule import SITE_STACK, Hit, Rule, Scope, Severity

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
    shape = secret_shape(text)
    if shape:
        return shape
    if looks_secret(name) and not _NOT_SECRET.match(text.strip()) and \
            not looks_like_path(text) and not is_reference(text):
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
                words = [str(a) for a in m.as_list(container.get(field))]
                if any(has_userinfo_secret(a) for a in words):
                    yield Hit(item.stack, item.address,
                              f"{where} has a URL with a password in its {field}")
                shapes = sorted({found for a in words if (found := secret_shape(a))})
                if shapes:
                    yield Hit(item.stack, item.address,
                              f"{where} has {', '.join(shapes)} in its {field}")


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


def _helm_values(ctx: PolicyContext) -> Iterator[Hit]:
    """Values are rendered into manifests and kept in plain text (Git under Flux)."""
    for name in sorted(ctx.stacks):
        for release in releases(ctx.stacks[name]):
            for path, key, value in _leaves(release.values, "values"):
                why = secret_like(_helm_key(key), value) if isinstance(value, str) else ""
                if why and "{{" not in str(value):
                    yield Hit(name, f"helm:{release.name}",
                              f"release {release.name}: {path} holds {why}")


# Chart values name the Secret holding a value (existingSecret, secretName, passwordKey):
# such a key holds a name, not the secret.
_NAMING_WORDS = frozenset({"name", "ref", "file", "path", "key"})
_SECRET_NOUNS = frozenset({"password", "token", "secret", "user", "username", "credentials"})


def _helm_key(key: str) -> str:
    """A chart's camelCase key as an env-style name (adminPassword → ADMIN_PASSWORD); a key
    that names where a secret is becomes one that ``looks_secret`` leaves alone."""
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", key)]
    if words and (words[0] == "existing" or (
            len(words) > 1 and words[-1] in _NAMING_WORDS and words[-2] in _SECRET_NOUNS)):
        return "_".join(words).upper() + "_NAME"
    return "_".join(words).upper()


def _leaves(values: Any, path: str, key: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(values, dict):
        for name, value in sorted(values.items()):
            yield from _leaves(value, f"{path}.{name}", str(name))
    elif isinstance(values, list):
        for index, value in enumerate(values):
            yield from _leaves(value, f"{path}[{index}]", key)
    else:
        yield path, key, values


def _site_settings(ctx: PolicyContext) -> Iterator[Hit]:
    """URLs in site.py land in Git with it: a password there is a password in Git."""
    urls = {"state.url": ctx.site.state.url,
            "vault.address": ctx.site.vault.address if ctx.site.vault else None,
            "proxmox.url": ctx.site.proxmox.url if ctx.site.proxmox else None,
            "gitops.remote": ctx.site.gitops.remote if ctx.site.gitops else None}
    for field, url in sorted(urls.items()):
        if url and (has_userinfo_secret(url) or secret_shape(url)):
            yield Hit(SITE_STACK, f"site:{field}", f"site.{field} holds a password")


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
    Rule("HS-SECRET-004", "no secret values in Helm values", Severity.ERROR,
         "Helm values are rendered into manifests and kept in plain text, in Git under Flux.",
         "Keep the value in Vault, declare an external_secret(...) and point the chart at it "
         "with its existingSecret-style key",
         _helm_values, scope=Scope.HOMELAB),  # values are read from the Stack, not its
    # Resources: a finding must not be kept while only the Resources are unchanged
    Rule("HS-SECRET-005", "no passwords in the Site's settings", Severity.ERROR,
         "site.py is committed: a URL with a password in it is a password in Git.",
         "Leave the password out of the URL: HOMESTACK_STATE_URL for the state database, the "
         "token variables the Site names for Vault and Proxmox",
         _site_settings, scope=Scope.HOMELAB),
)
