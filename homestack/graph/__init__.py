"""The graph layer: the Stack DAG, inferred edges, waves and impact."""

from homestack.graph.dag import StackGraph, build_graph, inferred_needs
from homestack.graph.errors import (
    CycleError,
    GraphError,
    MissingCapabilityError,
    UnknownStackError,
)
from homestack.graph.formats import GraphFormat, format_graph, graph_data

__all__ = [
    "CycleError",
    "GraphError",
    "GraphFormat",
    "MissingCapabilityError",
    "StackGraph",
    "UnknownStackError",
    "build_graph",
    "format_graph",
    "graph_data",
    "inferred_needs",
]
