"""The SecAgg+ communication graph (Bell et al., CCS 2020).

Each client masks with, and shares its secrets among, only its neighbours: a random Harary graph of
even degree k ≈ 2·⌈log2 n⌉, so the per-client cost grows with log n instead of n. For small n that
degree reaches n − 1 and the graph is complete (plain Bonawitz et al. 2017). Node placement on the
ring is shuffled with the OS CSPRNG each round.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence


def choose_degree(num_nodes: int, degree: int | None = None) -> int:
    """Neighbours per node: `degree` if given, else 2·⌈log2 n⌉; capped at n − 1 (complete graph)."""
    if num_nodes < 2:
        raise ValueError(f"secure aggregation needs at least 2 clients, got {num_nodes}")
    if degree is None:
        degree = 2 * math.ceil(math.log2(num_nodes))
    if degree < 1:
        raise ValueError(f"secagg degree must be ≥ 1, got {degree}")
    return min(int(degree), num_nodes - 1)


def neighbour_graph(node_ids: Sequence[int], degree: int) -> dict[int, frozenset[int]]:
    """Symmetric neighbour sets. Complete if degree ≥ n − 1, else a shuffled Harary graph H(n, k)."""
    nodes = list(dict.fromkeys(node_ids))
    if len(nodes) != len(node_ids):
        raise ValueError("node ids must be distinct")
    n = len(nodes)
    if degree >= n - 1:
        return {node: frozenset(nodes) - {node} for node in nodes}
    secrets.SystemRandom().shuffle(nodes)
    half = math.ceil(degree / 2)  # odd degrees round up to the next even Harary graph
    graph: dict[int, set[int]] = {node: set() for node in nodes}
    for position, node in enumerate(nodes):
        for step in range(1, half + 1):
            other = nodes[(position + step) % n]
            graph[node].add(other)
            graph[other].add(node)
    return {node: frozenset(peers) for node, peers in graph.items()}


def threshold_for(degree: int, fraction: float) -> int:
    """Shares needed to recover a secret held by a node and its `degree` neighbours (at least 2)."""
    if not 0.5 < fraction <= 1.0:
        raise ValueError(f"secagg threshold must be a fraction in (0.5, 1], got {fraction}")
    return min(degree + 1, max(2, math.ceil(fraction * (degree + 1))))
