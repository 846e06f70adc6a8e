"""``[]byte`` fields (OpenAPI ``format: byte``: Secret ``data``, ConfigMap ``binaryData``,
CA bundles): standard, padded base64, line breaks skipped, as the real decoder reads them.
A value that does not decode is the 400 BadRequest of the write, naming the first offending
position (this fake's own count; the real server may name another).
"""

from __future__ import annotations

import base64
import binascii
import re

_LINE_BREAKS = re.compile(rb"[\r\n]")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")


class Base64Error(ValueError):
    """The value is not standard, padded base64."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")
        self.offset = offset


def decode(text: str) -> bytes:
    """The bytes ``text`` stands for; Base64Error when it is not base64."""
    raw = _LINE_BREAKS.sub(b"", text.encode())
    bad = _NOT_BASE64.search(raw)
    if bad is not None:
        raise Base64Error(bad.start())
    try:
        return base64.b64decode(raw, validate=True)
    except binascii.Error as error:
        raise Base64Error(len(raw) - len(raw) % 4 if len(raw) % 4 else len(raw)) from error
