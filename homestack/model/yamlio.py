"""YAML in and out through libyaml when PyYAML has it (several times faster than pure Python).

Only safe loading and dumping: no Python tags either way. Loading is bounded: a stream of more
than ``MAX_DOCUMENTS`` documents, or whose aliases expand past ``MAX_NODES`` nodes (a "billion
laughs"), is refused before it is built, in time proportional to the text, not the expansion.
A key written twice in one mapping is refused too (PyYAML would keep the last silently).
"""

from __future__ import annotations

from typing import Any

import yaml

YAMLError = yaml.YAMLError
MAX_DOCUMENTS = 2_000
MAX_NODES = 1_000_000
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Dumper(_BaseDumper):  # type: ignore[valid-type, misc]
    """Block style, multi-line strings as literal blocks, never anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


Dumper.add_representer(str, _str_presenter)


class YamlBoundError(yaml.YAMLError):
    """A YAML stream past the bounds: too many nodes once aliases expand, or too many documents."""


def describe(error: yaml.YAMLError) -> str:
    """One line: what is wrong and where (``line 2, column 1: did not find ...``)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    if problem is None:
        return " ".join(str(error).split())
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return where + str(problem) + (f" ({context})" if context else "")


def load(text: str) -> Any:
    """Parse one YAML document."""
    documents = _bounded(text)
    if len(documents) > 1:
        raise YAMLError("expected a single document in the stream, found several")
    return documents[0] if documents else None


def load_all(text: str) -> list[Any]:
    """Parse every document of a YAML stream (empty ones included as None)."""
    return _bounded(text)


def _bounded(text: str) -> list[Any]:
    loader = _Loader(text)
    try:
        documents: list[Any] = []
        nodes = 0
        while loader.check_node():
            if len(documents) == MAX_DOCUMENTS:
                raise YamlBoundError(f"more than {MAX_DOCUMENTS} documents in one stream")
            node = loader.get_node()
            if node is None:
                documents.append(None)
                continue
            nodes += _expanded_size(node, {}, set())
            if nodes > MAX_NODES:
                raise YamlBoundError(f"the YAML expands to more than {MAX_NODES} nodes "
                                     "(aliases repeat their anchor's content)")
            documents.append(loader.construct_document(node))
        return documents
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_: set[int]) -> int:
    """Nodes of ``node`` once every alias is expanded, without expanding anything.

    Each distinct node is measured once (``sizes``), so the walk costs as much as the text.
    """
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in open_:
        raise YamlBoundError("a YAML alias refers to its own anchor (a recursive structure)")
    open_.add(id(node))
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, sizes, open_) for item in node.value)
    elif isinstance(node, yaml.MappingNode):
        _refuse_duplicate_keys(node)
        size += sum(_expanded_size(k, sizes, open_) + _expanded_size(v, sizes, open_)
                    for k, v in node.value)
    open_.discard(id(node))
    sizes[id(node)] = size
    return size


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    """A key written twice in one mapping is a mistake whose first value PyYAML would drop
    without a word (the last one wins): refuse it, at the second one's line."""
    seen: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        identity = (key.tag, key.value)
        if identity in seen:
            raise yaml.MarkedYAMLError(problem=f"key {key.value!r:.60} appears twice in one "
                                               "mapping", problem_mark=key.start_mark)
        seen.add(identity)


def dump(body: Any) -> str:
    """Sorted keys, block style, no aliases: byte-stable for equal input."""
    return yaml.dump(body, Dumper=Dumper, sort_keys=True, default_flow_style=False, width=1000)
