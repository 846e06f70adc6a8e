"""Every Homestack model defers building its validator (``model/modelconfig``)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from pydantic import BaseModel, ValidationError

import homestack
from homestack.model import Resource
from homestack.model.modelconfig import FROZEN, shared_config


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_homestack_model_defers_its_build() -> None:
    for module in pkgutil.walk_packages(homestack.__path__, "homestack."):
        if not module.name.endswith("__main__"):  # that one runs the CLI
            importlib.import_module(module.name)
    ours = [c for c in _all_subclasses(BaseModel) if c.__module__.startswith("homestack.")]
    assert len(ours) > 30  # the walk found the models
    eager = sorted(c.__qualname__ for c in ours if c.model_config.get("defer_build") is not True)
    assert eager == [], "build these models' validators lazily: model_config = FROZEN"


def test_shared_config_keeps_the_settings_it_is_given() -> None:
    assert shared_config(frozen=True) == {"frozen": True, "defer_build": True}
    assert FROZEN["extra"] == "forbid" and FROZEN["frozen"] is True


def test_a_deferred_model_still_validates_on_first_use() -> None:
    with pytest.raises(ValidationError):
        Resource.model_validate({"provider": "k8s"})  # required fields are missing
