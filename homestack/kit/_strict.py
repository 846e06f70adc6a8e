"""Strict keywords for every kit helper: an unknown keyword is an error naming the closest one.

Python already refuses unknown keywords of a plain signature, but helpers that take
``**options: Unpack[SomeOptions]`` accept any name at run time and would drop a misspelt one
silently. ``@strict`` checks every call against the names the signature (and its TypedDict of
options) declares and raises a ``ModelError`` such as
``deployment() got an unexpected keyword 'envs' (did you mean 'env'?)``; the catalog adds the
stack file and line of the call.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from homestack.kit.errors import UnknownKeywordError

P = ParamSpec("P")
R = TypeVar("R")


def keywords(func: Callable[..., Any]) -> frozenset[str]:
    """Every keyword ``func`` accepts, the keys of an ``Unpack[TypedDict]`` ``**options`` too."""
    names: set[str] = set()
    for parameter in inspect.signature(func).parameters.values():
        if parameter.name == "self":  # a value type's __init__
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            hint = typing.get_type_hints(func, include_extras=True).get(parameter.name)
            for options in typing.get_args(hint):
                names.update(typing.get_type_hints(options))
        elif parameter.kind is not inspect.Parameter.POSITIONAL_ONLY:
            names.add(parameter.name)
    return frozenset(names)


def _helper_name(func: Callable[..., Any]) -> str:
    # A constructor is called by its class name: Catalog(...), not __init__(...).
    if func.__name__ == "__init__":
        return func.__qualname__.rsplit(".", 2)[-2]
    return func.__name__


# Keywords that moved into a value type: the error says where they went.
MOVED = {
    "title": "catalog=Catalog(name=...)",
    "group": "catalog=Catalog(group=...)",
    "icon": "catalog=Catalog(icon=...)",
    "description": "catalog=Catalog(description=...)",
    "href": "catalog=Catalog(href=...)",
    "hidden": "catalog=Catalog(hidden=True)",
}


def unexpected(helper: str, given: str, known: frozenset[str]) -> UnknownKeywordError:
    """The error for keyword ``given`` that ``helper`` does not take."""
    if given in MOVED and "catalog" in known:
        return UnknownKeywordError(f"{helper}() got an unexpected keyword {given!r}",
                                   keyword=given,
                                   hint=f"The dashboard tile is one value now: {MOVED[given]}")
    close = difflib.get_close_matches(given, sorted(known), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return UnknownKeywordError(
        f"{helper}() got an unexpected keyword {given!r}{hint}", keyword=given,
        hint=None if close else f"It takes: {', '.join(sorted(known))}",
    )


T = TypeVar("T", bound=type)


def strict_type(cls: T) -> T:
    """``strict`` for a value type's constructor (``Catalog(descripton=...)`` names the fix)."""
    cls.__init__ = strict(cls.__init__)  # type: ignore[misc]
    return cls


def strict(func: Callable[P, R]) -> Callable[P, R]:
    """Refuse keywords ``func`` does not declare, naming the closest valid one."""
    known: frozenset[str] | None = None

    @functools.wraps(func)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        nonlocal known
        if known is None:  # resolved on first use: the options TypedDict may be defined later
            known = keywords(func)
        for given in kwargs:
            if given not in known:
                raise unexpected(_helper_name(func), given, known)
        return func(*args, **kwargs)

    return checked
