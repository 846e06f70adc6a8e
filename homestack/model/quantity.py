"""Kubernetes resource quantities ("512Mi", "250m", "2") parsed to exact numbers.

Policy needs to add requests and compare them with quotas; strings cannot be added.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from homestack.model.errors import ModelError

_SUFFIX = {
    "": Decimal(1),
    "m": Decimal("0.001"),
    "k": Decimal(10) ** 3,
    "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15,
    "Ki": Decimal(2) ** 10,
    "Mi": Decimal(2) ** 20,
    "Gi": Decimal(2) ** 30,
    "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50,
}
_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$")


def parse_quantity(text: str | int | float) -> Decimal:
    """Return the value of a quantity in base units (bytes or cores)."""
    if isinstance(text, int | float):
        return Decimal(str(text))
    match = _QUANTITY.fullmatch(text.strip())
    if not match:
        raise ModelError(
            f"{text!r} is not a Kubernetes quantity",
            hint="Write memory like '512Mi' or '2Gi' and cpu like '250m' or '1'",
        )
    number, suffix = match.groups()
    try:
        return Decimal(number) * _SUFFIX[suffix or ""]
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
        raise ModelError(f"{text!r} is not a number") from exc


def is_memory(text: str) -> bool:
    """True when ``text`` parses and uses a binary or decimal byte suffix (not 'm')."""
    match = _QUANTITY.fullmatch(text.strip())
    return match is not None and match.group(2) != "m"


def format_bytes(value: Decimal) -> str:
    """Render a byte count with the largest binary suffix that keeps it readable."""
    for suffix in ("Ti", "Gi", "Mi", "Ki"):
        unit = _SUFFIX[suffix]
        if abs(value) >= unit:
            return f"{_plain((value / unit).quantize(Decimal('0.01')))}{suffix}"
    return _plain(value)


def _plain(value: Decimal) -> str:
    """``640`` not ``6.4E+2``: Decimal.normalize() switches to exponents for round numbers."""
    return f"{value.normalize():f}"


def format_cpu(value: Decimal) -> str:
    """Render cores as millicores when fractional."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{int(value * 1000)}m"
