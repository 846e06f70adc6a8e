"""The Stack DAG as text, JSON-able data, Mermaid or Graphviz dot (pure: returns strings)."""

from __future__ import annotations

import enum
import json

from homestack.graph.dag import StackGraph


class GraphFormat(enum.Enum):
    """Output formats of ``homestack graph``."""

    TEXT = "text"
    JSON = "json"
    MERMAID = "mermaid"
    DOT = "dot"


def graph_data(graph: StackGraph) -> dict[str, object]:
    """``{"stacks": [{name, wave, needs, inferred}], "waves": [[...], ...]}``."""
    return {
        "stacks": [
            {
                "name": name,
                "wave": graph.wave_of(name),
                "needs": list(graph.needs[name]),
                "inferred": list(graph.inferred.get(name, ())),
            }
            for name in graph.order()
        ],
        "waves": [list(wave) for wave in graph.waves],
    }


def format_graph(graph: StackGraph, fmt: GraphFormat) -> str:
    """Render ``graph`` in ``fmt``."""
    if fmt is GraphFormat.JSON:
        return json.dumps(graph_data(graph), indent=2)
    if fmt is GraphFormat.MERMAID:
        lines = ["graph TD"]
        for name in graph.order():
            lines.append(f'  {_node(name)}["{name}"]')
            lines.extend(f"  {_node(need)} --> {_node(name)}" for need in graph.needs[name])
        return "\n".join(lines)
    if fmt is GraphFormat.DOT:
        lines = ["digraph stacks {", "  rankdir=LR;"]
        for index, wave in enumerate(graph.waves):
            members = " ".join(f'"{name}";' for name in wave)
            lines.append(f"  subgraph wave{index} {{ rank=same; {members} }}")
        for name in graph.order():
            lines.extend(f'  "{need}" -> "{name}";' for need in graph.needs[name])
        lines.append("}")
        return "\n".join(lines)
    lines = []
    for index, wave in enumerate(graph.waves):
        lines.append(f"wave {index}:")
        for name in wave:
            needs = ", ".join(graph.needs[name])
            lines.append(f"  {name}" + (f"  <- {needs}" if needs else ""))
    return "\n".join(lines)


def _node(name: str) -> str:
    return name.replace("-", "_")
