"""Benchmark: build the "actors" network of the world twin list (../shared/data/twin_cities.csv).

Imports the list (or its first half, to check that the time grows linearly with the number of
partnerships), then times :func:`sistercity_kg.network.network` ``(kg, "actors")``, median of 3
runs. Prints the results; asserts nothing about times.

    .venv/bin/python benchmarks/network_actors.py [PATH]

Recorded run (2 cores, quiet, 28 Nov 2026; pyoxigraph 0.5, networkx 3.6; one SPARQL query + one pass):

    first half : 316,732 quads -> 10,263 nodes, 12,952 edges; actors network in 0.72 s
    whole list : 594,894 quads -> 17,703 nodes, 25,903 edges; actors network in 1.38 s

Twice the partnerships take about twice the time: the projection is linear in the graph.
"""

from __future__ import annotations

import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sistercity_kg as sck
from sistercity_kg.importers.twinlist import import_twin_list
from sistercity_kg.network import network

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "twin_cities.csv"


def _time(path: Path) -> tuple[int, int, int, float, list[float]]:
    kg = sck.load(include_data=False)
    import_twin_list(kg, path)
    times = []
    graph = None
    for _ in range(3):
        start = time.perf_counter()
        graph = network(kg, "actors")
        times.append(time.perf_counter() - start)
    assert graph is not None
    return len(kg), graph.number_of_nodes(), graph.number_of_edges(), statistics.median(times), times


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not path.is_file():
        print(f"No twin list at {path}; give its path as the first argument.", file=sys.stderr)
        return 2
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with tempfile.TemporaryDirectory() as tmp:
        half = Path(tmp) / "half.csv"
        with half.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows[: 1 + (len(rows) - 1) // 2])
        for label, source in (("first half", half), ("whole list", path)):
            quads, nodes, edges, median, times = _time(source)
            print(f"{label:11s}: {quads:,} quads -> {nodes:,} nodes, {edges:,} edges; "
                  f"actors network in {median:.2f} s (median of 3: {', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
