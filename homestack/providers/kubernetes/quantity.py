"""Resource quantities compared by amount: the API server stores ``0.5`` as ``500m`` and
``1024Mi`` as ``1Gi``, so declared and live quantities are compared as numbers, never as text.

``amount`` parses one quantity; ``canonical`` rewrites the values of the fields that hold
quantities (``requests``, ``limits``, ``hard``, ``capacity``, ``sizeLimit``) in a structure so
that equal amounts compare equal.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

_QUANTITY = re.compile(r"^([+-]?[0-9]*\.?[0-9]+|[+-]?[0-9]+\.)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15,
            "E": 18}
# Maps whose values are quantities, and single fields that are one.
QUANTITY_MAPS = frozenset({"requests", "limits", "hard", "capacity", "allocatable"})
QUANTITY_FIELDS = frozenset({"sizeLimit"})


def amount(raw: Any) -> Fraction | None:
    """The exact amount of a quantity, or None when ``raw`` is not one."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None
    match = _QUANTITY.match(str(raw).strip())
    if match is None:
        return None
    number, suffix = match.groups()
    value = Fraction(number)
    if suffix in _BINARY:
        return value * Fraction(2) ** _BINARY[suffix]
    if suffix in _DECIMAL:
        return value * Fraction(10) ** _DECIMAL[suffix]
    exponent = re.fullmatch(r"[eE]([-+]?[0-9]+)", suffix)
    return value * Fraction(10) ** int(exponent.group(1)) if exponent else None


def canonical(value: Any, key: str = "") -> Any:
    """``value`` with every quantity field replaced by its amount (other values as they are)."""
    if isinstance(value, dict):
        if key in QUANTITY_MAPS:
            return {k: _amount_or(v) for k, v in value.items()}
        return {k: canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v, key) for v in value]
    if key in QUANTITY_FIELDS:
        return _amount_or(value)
    return value


def _amount_or(value: Any) -> Any:
    found = amount(value)
    return value if found is None else found
