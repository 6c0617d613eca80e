"""Push and query times per store on a generated knowledge graph of about 100,000 triples.

Run from the repository root (starts its own Oxigraph server and, if installed, Virtuoso, on
loopback ports, and stops them by process id)::

    python benchmarks/stores.py            # ~100k triples
    python benchmarks/stores.py --quick    # ~10k triples, for a smoke run

The graph is generated deterministically in the model's shape: actors in countries, sister-city
partnerships between pairs of them, and cooperation activities with a field, a status and dates.
Printed: one row per store with the push time and the time of each query (median of 3 runs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the test suite's server helpers

import sistercity_kg as sck  # noqa: E402
from servers.fixtures import start_oxigraph, start_virtuoso, stop_virtuoso  # noqa: E402

FIELDS = ["culture", "education", "economy", "tourism", "environment", "urban-governance", "health"]
STATUSES = ["planned", "ongoing", "completed"]

QUERIES = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "partners-of-one": """PREFIX sck: <https://w3id.org/sistercity-kg/ontology#>
        SELECT ?other WHERE { ?p sck:partner <https://w3id.org/sistercity-kg/id/actor/city-7> , ?other .
        FILTER (?other != <https://w3id.org/sistercity-kg/id/actor/city-7>) }""",
    "activities-by-field": """PREFIX sck: <https://w3id.org/sistercity-kg/ontology#>
        SELECT ?field (COUNT(?a) AS ?n) WHERE { ?a a sck:CooperationActivity ; sck:field ?field } GROUP BY ?field""",
    "labels-en-5k": """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?x ?label WHERE { ?x rdfs:label ?label FILTER (lang(?label) = "en") } LIMIT 5000""",
}


def generate(target: int) -> str:
    """N-Triples of about ``target`` triples in the model's shape (the same text for the same target)."""
    rng = random.Random(20150524)
    sck_ = "https://w3id.org/sistercity-kg/ontology#"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    ident = "https://w3id.org/sistercity-kg/id/"
    concept = "https://w3id.org/sistercity-kg/concept/"
    lines: list[str] = []
    actors = max(10, target // 60)
    for i in range(actors):
        a = f"<{ident}actor/city-{i}>"
        lines += [
            f"{a} {rdf_type} <{sck_}SubStateActor> .",
            f'{a} {label} "City {i}"@en .',
            f'{a} {label} "Kota {i}"@id .',
            f"{a} <{sck_}country> <{ident}country/country-{i % 40}> .",
        ]
    n = 0
    while len(lines) < target:
        a, b = rng.sample(range(actors), 2)
        p = f"<{ident}partnership/p-{n}>"
        lines += [
            f"{p} {rdf_type} <{sck_}Partnership> .",
            f"{p} <{sck_}partner> <{ident}actor/city-{a}> .",
            f"{p} <{sck_}partner> <{ident}actor/city-{b}> .",
            f'{p} {label} "Partnership {n}"@en .',
            f"{p} <{sck_}partnershipType> <{concept}partnership-type/sister-city> .",
        ]
        for k in range(rng.randint(1, 3)):
            act = f"<{ident}activity/a-{n}-{k}>"
            year = rng.randint(1990, 2024)
            lines += [
                f"{act} {rdf_type} <{sck_}CooperationActivity> .",
                f"{act} <{sck_}partOf> {p} .",
                f"{act} <{sck_}field> <{concept}field/{rng.choice(FIELDS)}> .",
                f"{act} <{sck_}status> <{concept}status/{rng.choice(STATUSES)}> .",
                f'{act} <{sck_}startDate> "{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"^^<http://www.w3.org/2001/XMLSchema#date> .',
                f'{act} {label} "Activity {n}.{k}"@en .',
            ]
        n += 1
    return "\n".join(lines) + "\n"


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about 10,000 triples instead of 100,000")
    parser.add_argument("--triples", type=int, help="how many triples to generate")
    args = parser.parse_args(argv)
    size = args.triples or (10_000 if args.quick else 100_000)

    data = generate(size)
    source = sck.KnowledgeGraph()
    load_time = timed(lambda: source.load_data(data, format="nt", graph=sck.SCKG["benchmark"]))
    print(f"generated {len(source):,} triples; loaded in memory in {load_time:.2f} s", file=sys.stderr)

    rows: list[tuple[str, float, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        targets: list[tuple[str, Callable[[], sck.KnowledgeGraph]]] = [
            ("memory", sck.KnowledgeGraph),
            ("disk", lambda: sck.open(folder / "disk")),
        ]
        cleanups: list[Callable[[], None]] = []
        (folder / "oxigraph").mkdir()
        try:
            proc, oxi = start_oxigraph(folder / "oxigraph")
            cleanups.append(lambda: (proc.terminate(), proc.wait(10)))
            targets.append(("oxigraph server", lambda: sck.connect(oxi.query, update_endpoint=oxi.update, timeout=300)))
            targets.append(("oxigraph server (GSP)", lambda: sck.connect(
                oxi.query, update_endpoint=oxi.update, graph_store_endpoint=oxi.graph_store, timeout=300)))
        except RuntimeError as exc:
            print(f"skipping Oxigraph server: {exc}", file=sys.stderr)
        (folder / "virtuoso").mkdir()
        try:
            virt = start_virtuoso(folder / "virtuoso", max_rows=1_000_000)
            cleanups.append(lambda: stop_virtuoso(folder / "virtuoso"))
            targets.append(("virtuoso", lambda: sck.connect(
                virt.query, update_endpoint=virt.update, auth=virt.auth, timeout=300)))
            targets.append(("virtuoso (GSP)", lambda: sck.connect(
                virt.query, update_endpoint=virt.update, graph_store_endpoint=virt.graph_store, auth=virt.auth, timeout=300)))
        except RuntimeError as exc:
            stop_virtuoso(folder / "virtuoso")
            print(f"skipping Virtuoso: {exc}", file=sys.stderr)
        try:
            for name, make in targets:
                with make() as kg:
                    if name == "memory":
                        push = load_time
                        kg = source
                    else:
                        push = timed(lambda: source.push(kg))
                        assert len(kg) == len(source), f"{name}: {len(kg)} != {len(source)}"
                    times = {q: timed(lambda text=text: kg.sparql(text), repeat=3) for q, text in QUERIES.items()}
                    times["len()"] = timed(lambda: len(kg), repeat=3)
                    rows.append((name, push, times))
                    print(f"  {name}: done", file=sys.stderr)
        finally:
            for cleanup in cleanups:
                cleanup()

    columns = list(QUERIES) + ["len()"]
    header = "| store | push (s) | " + " | ".join(f"{c} (s)" for c in columns) + " |"
    print(f"\n{len(source):,} triples\n")
    print(header)
    print("|" + "---|" * (len(columns) + 2))
    for name, push, times in rows:
        print(f"| {name} | {push:.2f} | " + " | ".join(f"{times[c]:.3f}" for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
