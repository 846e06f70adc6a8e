"""The pydantic settings every Homestack model starts from.

``defer_build``: a model's validator is built the first time the model validates, not when its
class is defined. Most runs validate few of the ~40 models (a plan from the render cache only
unpickles values and validates none), and building them all at import was a quarter of a no-op
plan's time.
"""

from __future__ import annotations

from typing import Unpack

from pydantic import ConfigDict


def shared_config(**settings: Unpack[ConfigDict]) -> ConfigDict:
    """The shared settings plus ``settings`` (``frozen``, ``extra``...)."""
    return ConfigDict(**settings, defer_build=True)


FROZEN = shared_config(frozen=True, extra="forbid")
