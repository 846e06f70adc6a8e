"""Values that are secrets by their shape, whatever the name they are given under: a bearer
token, a connection string with a password, a ``--password=`` argument, a GitHub or AWS key,
a JWT, a private key. Policy rules refuse them in plain text (env, ConfigMaps, Helm values).

Shapes are the vendors' published token formats; a value that is a reference to a variable
(``$(DB_PASSWORD)``, ``${DB_PASSWORD}``, a Helm template) is never a secret.
"""

from __future__ import annotations

import re

# (what it is, its shape); the first match names the value.
SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a bearer token", re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{12,}")),
    ("a password argument",
     re.compile(r"(?i)(?:^|\s)--?(password|passwd|pass|token|secret)[= ]\S+")),
    ("a connection string with a password",
     re.compile(r"(?i)(^|[;\s])(password|pwd)\s*=\s*[^;\s]+")),
)
_REFERENCE = re.compile(r"^\$\(\w+\)$|^\$\{\w+\}$|^\{\{.*\}\}$")
_EMBEDDED_REFERENCE = re.compile(r"\$\(\w+\)|\$\{\w+\}|\$\w+|\{\{[^}]*\}\}")


def secret_shape(text: str) -> str:
    """What kind of secret ``text`` holds by its shape, or "" when none."""
    for what, shape in SHAPES:
        for match in shape.finditer(text):
            # "Password=$(DB_PASSWORD)", "--token ${TOKEN}": a reference, not the value
            if not _EMBEDDED_REFERENCE.search(match.group(0)):
                return what
    return ""


def is_reference(text: str) -> bool:
    """True for a whole value that only names a variable or a template."""
    return bool(_REFERENCE.match(text.strip()))
