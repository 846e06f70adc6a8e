"""Notifications through Apprise: ntfy, Slack, Matrix, e-mail, a JSON webhook, any Apprise URL.

URLs come from the command line or the ``HOMESTACK_NOTIFY`` environment variable (several
separated by spaces or commas); they often hold tokens, so they are never written to state,
plans or logs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import apprise

from homestack.model import ModelError

ENV = "HOMESTACK_NOTIFY"


def urls_from(given: Sequence[str], environ: dict[str, str] | None = None) -> list[str]:
    """The notification URLs: those given, else those of ``HOMESTACK_NOTIFY``."""
    if given:
        return list(given)
    text = (environ if environ is not None else dict(os.environ)).get(ENV, "")
    return [u for u in re.split(r"[\s,]+", text) if u]


def notify(urls: Sequence[str], title: str, body: str) -> bool:
    """Send one message to every URL; True when all accepted it."""
    sender = apprise.Apprise()
    for url in urls:
        if not sender.add(url):
            # The URL is not echoed: it may hold a token.
            raise ModelError("a notification URL is not understood by Apprise",
                             subject=ENV, hint="Check the URL against Apprise's list of "
                             "services (ntfy://, slack://, json://, mailto://, ...)")
    return bool(sender.notify(body=body, title=title))
