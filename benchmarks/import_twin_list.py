"""Benchmark: import the world twin list (../shared/data/twin_cities.csv) into a knowledge graph.

Times :meth:`KnowledgeGraph.import_twin_list` (median of 3 runs, each into a fresh graph with the
bundled ontology), and, for comparison, adding the same triples to an rdflib ``Dataset`` (the
rdflib-only way of importing them), then validates the imported graph once against the shapes.
Prints the results; asserts nothing about times. Recorded runs: benchmarks/RESULTS-importers.md.

    .venv/bin/python benchmarks/import_twin_list.py [PATH]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from rdflib import Dataset, URIRef

import sistercity_kg as sck

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "twin_cities.csv"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not path.is_file():
        print(f"No twin list at {path}; give its path as the first argument.", file=sys.stderr)
        return 2
    times, result, kg = [], None, None
    for _ in range(3):
        kg = sck.load(include_data=False)
        start = time.perf_counter()
        result = kg.import_twin_list(path)
        times.append(time.perf_counter() - start)
    assert result is not None and kg is not None
    graph = URIRef(result.graph)
    quads = [(s, p, o) for s, p, o, g in kg.to_dataset().quads((None, None, None, graph))]
    rdflib_times = []
    for _ in range(3):
        dataset = Dataset()
        start = time.perf_counter()
        context = dataset.graph(graph)
        for triple in quads:
            context.add(triple)
        rdflib_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    report = kg.validate()
    validation = time.perf_counter() - start
    ours, theirs = statistics.median(times), statistics.median(rdflib_times)
    print(f"file:                 {path}")
    print(f"rows read:            {result.rows}")
    print(f"rows skipped:         {len(result.skipped)}")
    print(f"statements added:     {result.added}")
    print(f"import (median of 3): {ours:.2f} s  ({result.rows / ours:,.0f} rows/s)  runs: {', '.join(f'{t:.2f}' for t in times)}")
    print(f"rdflib add of the same triples (median of 3): {theirs:.2f} s")
    print(f"ratio rdflib / sistercity-kg: {theirs / ours:.2f}")
    print(f"statements in the graph (with ontology and schemes): {len(kg)}")
    print(f"validation (once):    {validation:.2f} s, conforms: {report.conforms}, "
          f"violations: {len(list(report.violations))}, warnings: {len(list(report.warnings))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
