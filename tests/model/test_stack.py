"""Stacks: names, defaults, components and their origins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from homestack.model import (
    Domains,
    ModelError,
    NamespaceTier,
    RenderContext,
    Resource,
    Site,
    Stack,
)

SITE = Site(name="t", domains=Domains(public="example.org", internal="home.arpa"))


@dataclass(frozen=True)
class _Failing:
    name: str = "failing"

    def render(self, context: RenderContext) -> Sequence[Resource]:
        raise ModelError("needs a GPU node")


def test_namespace_defaults_to_name() -> None:
    assert Stack("immich").namespace == "immich"


def test_needs_accepts_one_string() -> None:
    assert Stack("a", needs="b").needs == ("b",)


def test_name_must_be_a_dns_label() -> None:
    with pytest.raises(ValidationError, match="DNS label"):
        Stack("Bad_Name")


def test_tier_is_an_enum() -> None:
    assert Stack("a", tier="4-aux").tier is NamespaceTier.AUX


def test_origin_is_this_test_file() -> None:
    stack = Stack("a")
    assert stack.origin is not None
    assert stack.origin.file == __file__


def test_render_error_names_the_declaring_line() -> None:
    stack = Stack("a")
    stack.add(_Failing())
    with pytest.raises(ModelError, match=r"test_stack\.py:\d+.*needs a GPU node"):
        stack.render(SITE)


def test_two_components_of_one_kind_and_name_are_refused() -> None:
    stack = Stack("a")
    stack.add(_Failing())
    with pytest.raises(ModelError, match="distinct name"):
        stack.add(_Failing())
