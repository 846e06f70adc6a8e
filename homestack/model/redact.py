"""Remove credentials from text before it reaches a message, a log or a plan.

URLs are redacted whatever their shape: the userinfo of ``scheme://user:pass@host`` is cut up to
the *last* ``@`` of the token, so a password holding ``/``, ``@`` or ``:`` does not leak its
tail, and a URL missing its colon (``postgresql//user:pass@host``) is caught too. Without the
slashes (``postgresql:/user:pass@host``, ``postgresql:user:pass@host``, ``user:pass@host``)
everything between the token's first ``:`` and its last ``@`` is masked. libpq
``key=value`` strings lose their ``password=`` value.
"""

from __future__ import annotations

import re

MASK = "***"
# "//", then anything without whitespace or quotes up to the last "@" of that token.
_USERINFO = re.compile(r"(?P<scheme>//)(?P<userinfo>[^\s'\"<>`]*)@")
# A token (after a blank, a quote, "(", "=" or ","), then a name without ":", "/" or "@", then
# ":" not followed by "//" (that shape is _USERINFO's) and anything up to the token's last "@".
_BARE = re.compile(r"(?P<lead>^|[\s'\"<>`(=,])(?P<user>[^\s'\"<>`:/@]+):(?!//)"
                   r"(?P<secret>[^\s'\"<>`]*)@(?!sha\d+:)")  # not an image digest
_KEYWORD = re.compile(r"(?i)\b(?P<key>password|passwd|pwd)\s*=\s*(?P<value>'[^']*'|\S+)")


def has_userinfo_secret(text: str) -> bool:
    """True when ``text`` holds a URL whose userinfo carries a password (``user:pass@``)."""
    return any(":" in match.group("userinfo") for match in _USERINFO.finditer(text)) or \
        any(match.group("secret") for match in _BARE.finditer(text))


def redact(text: str, *secrets: str) -> str:
    """``text`` with URL userinfo, ``password=`` values and each of ``secrets`` masked."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _USERINFO.sub(lambda m: f"{m.group('scheme')}{_user(m.group('userinfo'))}@", text)
    text = _BARE.sub(lambda m: f"{m.group('lead')}{m.group('user')}:{MASK}@"
                     if m.group("secret") != MASK else m.group(0), text)
    return _KEYWORD.sub(lambda m: f"{m.group('key')}={MASK}", text)


def _user(userinfo: str) -> str:
    """Keep the user name (it helps to debug) and mask the rest."""
    user, colon, _ = userinfo.partition(":")
    if "/" in user:  # no user name we can trust: everything before the "@" goes
        return MASK
    return f"{user}:{MASK}" if colon else MASK


def password_of(url: str) -> str:
    """The password part of ``url``'s userinfo (what ``redact`` would mask), or ""."""
    match = _USERINFO.search(url)
    if not match:
        return ""
    _, colon, password = match.group("userinfo").partition(":")
    return password if colon else ""
