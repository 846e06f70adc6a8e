"""The public names of ``homestack`` itself are pinned: removing one is a breaking change."""

from __future__ import annotations

import homestack


def test_public_api_is_pinned() -> None:
    assert sorted(homestack.__all__) == [
        "NamespaceTier", "Resource", "SecretRef", "Site", "Stack", "StateTier", "tier",
    ]


def test_tier_shorthand_is_the_enum() -> None:
    assert homestack.tier.AUX.value == "4-aux"
