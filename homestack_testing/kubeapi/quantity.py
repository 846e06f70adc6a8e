"""Resource quantities in the canonical form the real server stores
(``k8s.io/apimachinery/pkg/api/resource``): ``0.5`` → ``500m``, ``1024Mi`` → ``1Gi``,
``1000m`` → ``1``, ``1.5Gi`` → ``1536Mi``.

The suffix picks the format: binary (``Ki``…``Ei``), decimal SI (``n``…``E``, or none)
or decimal exponent (``e3``). Values are rounded up to whole nano units; a binary value
that is fractional or smaller than 1024 is shown in decimal SI, as the real code does.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

QUANTITY_RE = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
PATTERN_MESSAGE = ("quantities must match the regular expression "
                   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")

BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15,
           "E": 18}
DECIMAL_SUFFIX = {v: k for k, v in DECIMAL.items()}
BINARY_SUFFIX = {v // 10: k for k, v in BINARY.items()}


class QuantityError(ValueError):
    """The text is not a quantity."""


def _parse(text: str) -> tuple[Fraction, str]:
    """(value, format) where format is "binary", "decimal" or "exponent"."""
    match = QUANTITY_RE.match(text)
    if not match or match.group(1) in (".", "+.", "-."):
        raise QuantityError(PATTERN_MESSAGE)
    number, suffix = match.groups()
    try:
        value = Fraction(number)
    except ValueError as exc:
        raise QuantityError(PATTERN_MESSAGE) from exc
    if suffix in BINARY:
        return value * (2 ** BINARY[suffix]), "binary"
    if suffix in DECIMAL:
        return value * Fraction(10) ** DECIMAL[suffix], "decimal"
    exp = re.fullmatch(r"[eE]([-+]?[0-9]+)", suffix)
    if exp is None:
        raise QuantityError("unable to parse quantity's suffix")
    return value * Fraction(10) ** int(exp.group(1)), "exponent"


def canonical(raw: str | int | float) -> str:
    """The canonical string of a quantity; raises QuantityError if it is not one."""
    return _canonical(raw if isinstance(raw, str) else repr(raw))


@lru_cache(maxsize=4096)
def _canonical(text: str) -> str:
    value, fmt = _parse(text.strip())
    if fmt == "binary" and (abs(value) < 1024 or value.denominator != 1):
        fmt = "decimal"  # small or fractional binary amounts are shown in decimal SI
    if fmt == "binary":
        return _binary(int(value))
    return _decimal(value, fmt == "exponent")


def canonical_value(raw: str | int | float) -> Fraction:
    """The exact amount of a quantity (for comparisons such as "may not shrink")."""
    return _parse(raw if isinstance(raw, str) else repr(raw))[0]


def _binary(value: int) -> str:
    power = 0
    while power < 6 and value != 0 and value % (1024 ** (power + 1)) == 0:
        power += 1
    return f"{value // 1024 ** power}{BINARY_SUFFIX[power * 1]}" if power else str(value)


def _decimal(value: Fraction, exponent_form: bool) -> str:
    nanos = -((-value * 10**9) // 1)  # ceiling to whole nano units, as the server rounds
    if nanos == 0:
        return "0"
    exp = -9
    while exp < 18 and nanos % 10 ** (exp + 12) == 0:
        exp += 3
    mantissa = nanos // 10 ** (exp + 9)
    if exponent_form:
        return f"{mantissa}e{exp}" if exp else str(mantissa)
    return f"{mantissa}{DECIMAL_SUFFIX[exp]}"
