"""Check the plain-typed arguments of a kit helper when a stack file calls it.

Python does not enforce annotations, so ``replicas="3"`` used to fail deep inside the kit as
``'<' not supported between instances of 'str' and 'int'``, and ``args="--once"`` was split
into characters. ``checked`` compares each argument whose annotation is a plain type (``str``,
``int``, ``bool``, ``float``, optional or not), a sequence of strings or a mapping with the
value given, and raises a ``ModelError`` naming the helper and the argument. Arguments with
richer types are left to the helper itself.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from homestack.model import ModelError

F = TypeVar("F", bound=Callable[..., Any])
Check = Callable[[object], str]  # "" when the value fits, else what was expected

_PLAIN = {str: "a string", int: "a whole number", bool: "True or False", float: "a number"}


def _plain(kind: type) -> Check:
    def check(value: object) -> str:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return ""
        if kind is int and isinstance(value, bool):
            return _PLAIN[kind]
        return "" if isinstance(value, kind) else _PLAIN[kind]

    return check


def _strings(value: object) -> str:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return "a list of strings"
    return "" if all(isinstance(item, str) for item in value) else "a list of strings"


def _mapping(value: object) -> str:
    return "" if isinstance(value, Mapping) else "a dict"


def _check_for(hint: Any) -> Check | None:
    """A check for ``hint`` when it is simple enough to check here, else None."""
    origin = typing.get_origin(hint)
    if hint in _PLAIN:
        return _plain(hint)
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        checks = [_check_for(member) for member in members]
        if len(members) != 1 or checks[0] is None:
            return None
        inner = checks[0]
        return lambda value: "" if value is None else inner(value)
    if origin in (Sequence, tuple, list) and typing.get_args(hint)[:1] == (str,):
        return _strings
    if origin in (Mapping, dict):
        return _mapping
    return None


def _checks(function: Callable[..., Any]) -> tuple[dict[str, Check], frozenset[str] | None]:
    """Checks by argument name, and the option names ``**options`` takes (None: any)."""
    hints = typing.get_type_hints(function)
    found = {name: check for name, hint in hints.items()
             if name != "return" and (check := _check_for(hint)) is not None}
    known: frozenset[str] | None = None
    for parameter in inspect.signature(function).parameters.values():
        hint = hints.get(parameter.name)
        if parameter.kind is parameter.VAR_KEYWORD and typing.get_origin(hint) is typing.Unpack:
            options = typing.get_type_hints(typing.get_args(hint)[0])
            known = frozenset(options)
            found.update({name: check for name, option in options.items()
                          if (check := _check_for(option)) is not None})
    return found, known


def checked(function: F) -> F:
    """Wrap a kit helper so that a plainly mistyped or unknown argument is an error naming it."""
    signature = inspect.signature(function)
    rules: tuple[dict[str, Check], frozenset[str] | None] | None = None

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal rules
        if rules is None:
            rules = _checks(function)
        checks, known = rules
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return function(*args, **kwargs)  # Python's own message names the argument
        values = dict(bound.arguments)
        for parameter in signature.parameters.values():
            if parameter.kind is parameter.VAR_KEYWORD:
                options = values.pop(parameter.name, {})
                unknown = sorted(set(options) - known) if known is not None else []
                if unknown:
                    raise ModelError(
                        f"{function.__name__}: unknown argument {unknown[0]}",
                        hint="Known options: " + ", ".join(sorted(known or ())),
                    )
                values.update(options)
        for name, value in values.items():
            check = checks.get(name)
            expected = check(value) if check else ""
            if expected:
                raise ModelError(
                    f"{function.__name__}: {name}={value!r:.40} must be {expected}, "
                    f"not {type(value).__name__}",
                )
        return function(*args, **kwargs)

    return cast(F, wrapper)
