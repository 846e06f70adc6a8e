"""Ingress auth modes as typed values: ``required`` (the default), ``app``, ``public``, ``none``.

A justification is an argument, not a comment: ``app`` and ``none`` refuse an empty reason, so
the rendered Ingress always says what gates the Service.

Example::

    from homestack.kit import auth
    ingress(stack, web, auth=auth.app("Immich has its own login"))
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from homestack.kit._strict import strict
from homestack.model import ModelError


class AuthMode(enum.Enum):
    """Who may reach an ingress."""

    REQUIRED = "required"
    APP = "app"
    PUBLIC = "public"
    NONE = "none"


@dataclass(frozen=True)
class Auth:
    """An auth choice; build it with ``required``, ``app``, ``public`` or ``none``."""

    mode: AuthMode
    reason: str = ""
    groups: tuple[str, ...] = ()

    @property
    def forward_auth(self) -> bool:
        """True when the login-enforcing Authentik outpost sits in the middleware chain."""
        return self.mode is AuthMode.REQUIRED

    @property
    def public_auth(self) -> bool:
        """True when the anonymous (audit-only) public outpost sits in the middleware chain."""
        return self.mode is AuthMode.PUBLIC

    @property
    def anti_ai_default(self) -> bool:
        """Anti-AI scraping is on by default where nobody logs in at the edge."""
        return self.mode in (AuthMode.APP, AuthMode.NONE)


@strict
def required(groups: Sequence[str] = ()) -> Auth:
    """Forward-auth through the Authentik outpost; ``groups`` default to the Site's admin group.

    Example: ``auth.required(groups=["family"])``
    """
    if isinstance(groups, str):
        groups = (groups,)
    cleaned = tuple(dict.fromkeys(group.strip() for group in groups))
    if any(not group for group in cleaned):
        raise ModelError("auth.required has an empty group name", hint="Name existing groups")
    return Auth(AuthMode.REQUIRED, groups=cleaned)


def _reason(mode: str, reason: str) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise ModelError(
            f"auth.{mode}() needs a reason",
            hint=f"Say what gates the Service, like auth.{mode}('Gitea has its own login')",
        )
    return reason.strip()


@strict
def app(reason: str) -> Auth:
    """The backend owns its login; ``reason`` says which.

    Example: ``auth.app("Nextcloud has its own login and 2FA")``
    """
    return Auth(AuthMode.APP, reason=_reason("app", reason))


@strict
def public() -> Auth:
    """Anonymous Authentik binding: everyone passes, the outpost audits (breaks XHR/CORS).

    Example: ``auth.public()``
    """
    return Auth(AuthMode.PUBLIC)


@strict
def none(reason: str) -> Auth:
    """Intentionally public (PoW-fronted sites, git/WebDAV/CalDAV APIs, webhooks).

    Example: ``auth.none("Webhook endpoint, HMAC-signed by the sender")``
    """
    return Auth(AuthMode.NONE, reason=_reason("none", reason))
