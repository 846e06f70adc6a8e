"""Quantities parse to exact numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from homestack.model import ModelError, format_bytes, format_cpu, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [("512Mi", 512 * 2**20), ("2Gi", 2 * 2**30), ("250m", Decimal("0.25")), ("2", 2),
     ("1.5Gi", 3 * 2**29), ("1G", 10**9)],
)
def test_parse(text: str, value: Decimal | int) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "12 Mi", "abc", "1.2.3Gi", "-1Gi"])
def test_parse_refuses_garbage(text: str) -> None:
    with pytest.raises(ModelError, match="not a Kubernetes quantity"):
        parse_quantity(text)


def test_format_round_trips() -> None:
    assert format_bytes(parse_quantity("3Gi")) == "3Gi"
    assert format_cpu(parse_quantity("250m")) == "250m"
    assert format_cpu(parse_quantity("2")) == "2"


@pytest.mark.parametrize(("text", "shown"), [("640Mi", "640Mi"), ("100Mi", "100Mi"),
                                              ("1000Gi", "1000Gi"), ("1536Mi", "1.5Gi"),
                                              ("300", "300")])
def test_round_numbers_print_without_exponents(text: str, shown: str) -> None:
    assert format_bytes(parse_quantity(text)) == shown
