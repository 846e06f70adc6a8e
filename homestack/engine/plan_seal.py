"""The seal of a saved plan: an HMAC-SHA256 over its canonical JSON, keyed by a secret the
state backend keeps, beside the homelab's stable id.

Whoever can edit a plan file but not the state cannot make an edited plan pass: apply checks
the seal before it contacts any target. The key and the id are made the first time a plan is
saved (a read-only command never makes them); a homelab whose state holds neither has never
saved a plan, so any plan offered to it is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any

from homestack.model import ModelError, canonical_json
from homestack.state import StateStore

SCOPE = "homelab"
HOMELAB_ID = "id"
PLAN_KEY = "plan-key"
SEAL = "seal"


def homelab_id(store: StateStore) -> str:
    """The homelab's stable id ("" until a plan was first saved)."""
    return store.read_marks(SCOPE).get(HOMELAB_ID, "")


def _keyed(store: StateStore, *, create: bool) -> tuple[str, bytes]:
    marks = store.read_marks(SCOPE)
    if create and not (marks.get(HOMELAB_ID) and marks.get(PLAN_KEY)):
        made = {HOMELAB_ID: marks.get(HOMELAB_ID) or uuid.uuid4().hex,
                PLAN_KEY: marks.get(PLAN_KEY) or secrets.token_hex(32)}
        store.write_marks(SCOPE, {**marks, **made})
        marks = store.read_marks(SCOPE)  # another run may have made them first: theirs win
    return marks.get(HOMELAB_ID, ""), bytes.fromhex(marks.get(PLAN_KEY, ""))


def _mac(data: dict[str, Any], key: bytes) -> str:
    unsealed = {k: v for k, v in data.items() if k != SEAL}
    return hmac.new(key, canonical_json(unsealed).encode(), hashlib.sha256).hexdigest()


def seal(data: dict[str, Any], store: StateStore) -> dict[str, Any]:
    """``data`` naming this homelab, sealed with its key (both made if missing)."""
    ident, key = _keyed(store, create=True)
    named = {**data, "homelab": ident}
    return {**named, SEAL: _mac(named, key)}


def check_seal(data: Any, store: StateStore, subject: str) -> None:
    """Refuse ``data`` unless it carries this homelab's id and an intact seal."""
    if not isinstance(data, dict) or not isinstance(data.get(SEAL), str):
        raise ModelError("the plan file carries no seal; it was not saved by `homestack plan "
                         "-o` of this version", subject=subject, hint="Make the plan again")
    ident, key = _keyed(store, create=False)
    if not key:
        raise ModelError("this homelab's state has never saved a plan, so the plan was made "
                         "elsewhere", subject=subject,
                         hint="Make the plan against this homelab's state")
    if not hmac.compare_digest(_mac(data, key), data[SEAL]):
        raise ModelError("the plan file was modified after it was saved (its seal does not "
                         "match), or it was saved for another homelab's state", subject=subject,
                         hint="Make the plan again with `homestack plan -o FILE`")
    if data.get("homelab") != ident:
        raise ModelError(f"the plan was made for homelab {data.get('homelab')!r}, this is "
                         f"{ident!r}", subject=subject, hint="Make the plan again here")
