"""The benchmark suite: sistercity-kg against rdflib + pySHACL, pyrudof and the raw pyoxigraph floor.

One process times, alternating the contenders run by run, the median of N runs of:

- load: ``KnowledgeGraph.load_file`` vs rdflib ``Graph.parse`` vs pyoxigraph ``Store.load`` (same file);
- validate: ``kg.validate()`` vs pySHACL on an rdflib graph vs pyrudof, with the SHACL Core part of
  the bundled shapes (their two SPARQL constraints and SPARQL target removed, so every engine can
  run them), plus the library with the full bundled shapes; the library's and pySHACL's reports are
  compared (they must be equal);
- every named query (``sistercity_kg.queries()``): ``kg.query(name)`` vs rdflib's SPARQL engine vs
  the same text run directly on pyoxigraph (results materialised);
- ``kg.infer()`` vs the same rules as CONSTRUCT queries in rdflib and in pyoxigraph, to a fixpoint;
- the actors network: ``kg.network("actors")`` vs the same SELECT → networkx in rdflib and pyoxigraph;
- export to Turtle: ``kg.export`` vs rdflib ``serialize`` vs pyoxigraph ``serialize``;
- memory (subprocesses): resident set after loading the file, over the interpreter's baseline;
- cold start: wall time of ``sistercity-kg summary`` on the bundled data;
- the world twin list (``../shared/data/twin_cities.csv``): import + validate + actors network.

Timings are printed, never asserted. ``--quick`` (10k triples, one run, no twin list) is what CI runs
(``tests/test_benchmarks_quick.py``) so that the script cannot rot.

    .venv/bin/python benchmarks/run.py                 # 100k triples, 3 runs
    .venv/bin/python benchmarks/run.py --sizes 100000,1000000 --repeats 3
    .venv/bin/python benchmarks/run.py --quick
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import networkx as nx
import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib import Graph
from rdflib.namespace import SH

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import sistercity_kg as sck  # noqa: E402
from sistercity_kg.namespaces import sparql_prefixes  # noqa: E402
from sistercity_kg.network import _QUERIES as NETWORK_QUERIES  # noqa: E402
from sistercity_kg.resources import bundled_path, ontology_files  # noqa: E402
from sistercity_kg.rules import rules  # noqa: E402
from sistercity_kg.validation import validate_graph  # noqa: E402

from generate import ensure  # noqa: E402

try:  # optional contender
    import pyrudof
except ImportError:  # pragma: no cover - depends on the environment
    pyrudof = None

TWIN_LIST = REPO.parent / "shared" / "data" / "twin_cities.csv"
ABSENT = float("nan")


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


@dataclass
class Row:
    """One operation: median seconds per contender (NaN: not run) and notes."""

    operation: str
    times: dict[str, float] = field(default_factory=dict)
    note: str = ""

    def ratio(self, slow: str, fast: str) -> float:
        a, b = self.times.get(slow, ABSENT), self.times.get(fast, ABSENT)
        return a / b if a == a and b == b and b > 0 else ABSENT


class TimeLimit(BaseException):
    """A peer's run was stopped at the time limit (its time is then a lower bound).

    A BaseException, so that the peers' own ``except Exception`` blocks let it through."""


#: Seconds after which a peer's (rdflib, pySHACL, pyrudof) run is stopped; set by main().
PEER_LIMIT = 120.0
#: Operations where a peer hit the limit: their times are lower bounds.
CAPPED: set[tuple[str, str]] = set()


def _alarm(signum: int, frame: object) -> None:
    raise TimeLimit


def race(contenders: dict[str, Callable[[], object]], repeats: int, *, slow_after: float = 20.0,
         operation: str = "") -> dict[str, float]:
    """Median wall time of each contender, runs alternating; a contender slower than
    ``slow_after`` seconds on its first run is not repeated (its one time is reported).

    Peers (every contender but sistercity-kg and pyoxigraph) are stopped after :data:`PEER_LIMIT`
    seconds (SIGALRM; rdflib and pySHACL are pure Python, so the signal interrupts them): the
    time reported is then the limit, a lower bound, marked with ">" in the output.
    """
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for r in range(repeats):
        for name, fn in contenders.items():
            if r > 0 and samples[name] and samples[name][0] > slow_after:
                continue
            peer = name not in ("sistercity-kg", "pyoxigraph")
            gc.collect()
            if peer and hasattr(signal, "setitimer"):
                signal.signal(signal.SIGALRM, _alarm)
                signal.setitimer(signal.ITIMER_REAL, PEER_LIMIT)
            start = time.perf_counter()
            try:
                fn()
            except TimeLimit:
                CAPPED.add((operation, name))
                samples[name].append(PEER_LIMIT)
                continue
            finally:
                if peer and hasattr(signal, "setitimer"):
                    signal.setitimer(signal.ITIMER_REAL, 0)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(s) for name, s in samples.items() if s}


# ---------------------------------------------------------------------------
# The contenders' ways of doing the same work
# ---------------------------------------------------------------------------


def core_shapes() -> Graph:
    """The bundled shapes restricted to SHACL Core: no sh:sparql constraints, no SPARQL target."""
    graph = Graph().parse(bundled_path("ontology/shapes.ttl"), format="turtle")
    for s, _, c in list(graph.triples((None, SH.sparql, None))):
        graph.remove((s, SH.sparql, c))
    for s, _, t in list(graph.triples((None, SH.target, None))):
        graph.remove((s, SH.target, t))
    return graph


def rdflib_graph(data: Path) -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    graph.parse(data, format="turtle")
    return graph


def rdflib_dataset(data: Path) -> rdflib.Dataset:
    """Each file in its own named graph, the union as default graph: as the library holds them."""
    dataset = rdflib.Dataset(default_union=True)
    for path in [*ontology_files(), data]:
        dataset.graph(rdflib.URIRef(f"urn:x-bench:{path.stem}")).parse(path, format="turtle")
    return dataset


def oxigraph_store(data: Path) -> ox.Store:
    store = ox.Store()
    for path in [*ontology_files(), data]:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:x-bench:{path.stem}"))
    return store


def library_kg(data: Path) -> sck.KnowledgeGraph:
    kg = sck.load(include_data=False)
    kg.load_file(data)
    return kg


def materialise_ox(solutions: object) -> int:
    return sum(1 for s in solutions for _ in s)  # every term touched


def materialise_rdflib(result: object) -> int:
    return sum(1 for row in result for _ in row)


def actors_graph(rows: list[tuple[str, str | None, str | None, str | None]]) -> nx.MultiGraph:
    """The floor's network: partners of each partnership joined pairwise, labels as attributes."""
    partners: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for row, s, v, x in rows:
        if row == "partner" and s and v:
            partners.setdefault(s, []).append(v)
        elif row == "label" and s and v:
            labels.setdefault(s, v)
    graph = nx.MultiGraph()
    for partnership, members in partners.items():
        members = sorted(set(members))
        for node in members:
            graph.add_node(node, label=labels.get(node, node))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                graph.add_edge(a, b, key=partnership)
    return graph


def rule_fixpoint_ox(store: ox.Store) -> int:
    added, target = 0, ox.NamedNode("urn:x-bench:inferred")
    while True:
        new = 0
        for rule in rules():
            triples = list(store.query(rule.text, use_default_graph_as_union=True))
            fresh = [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples
                     if not any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object))]
            store.extend(fresh)
            new += len(fresh)
        added += new
        if new == 0:
            store.remove_graph(target)
            return added


def rule_fixpoint_rdflib(graph: Graph) -> int:
    work = Graph()
    work += graph
    added = 0
    while True:
        new = 0
        for rule in rules():
            for triple in list(work.query(rule.text)):
                if triple not in work:
                    work.add(triple)
                    new += 1
        added += new
        if new == 0:
            return added


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def bench_size(size: int, repeats: int, *, rdflib_max: int, out: list[Row], checks: list[str]) -> None:
    data, stats = ensure(size)
    label = f"{stats.triples // 1000}k" if stats.triples < 1_000_000 else f"{stats.triples / 1e6:.1f}M"
    print(f"\n## {label} triples ({stats.triples:,}; {stats.blocks:,} partnerships, {stats.actors:,} actors, "
          f"{stats.violations} injected violations): {data.name}", flush=True)
    run_rdflib = stats.triples <= rdflib_max

    # load
    contenders: dict[str, Callable[[], object]] = {
        "sistercity-kg": lambda: sck.KnowledgeGraph().load_file(data),
        "pyoxigraph": lambda: ox.Store().load(path=str(data), format=ox.RdfFormat.TURTLE),
    }
    if run_rdflib:
        contenders["rdflib"] = lambda: Graph().parse(data, format="turtle")
    op = f"{label} load (parse Turtle)"
    out.append(Row(op, race(contenders, repeats, operation=op)))
    _print(out[-1])

    kg = library_kg(data)
    store = oxigraph_store(data)
    graph = rdflib_graph(data) if run_rdflib else None
    dataset = rdflib_dataset(data) if run_rdflib else None

    # validate
    core = core_shapes()
    core_path = Path(tempfile.mkdtemp()) / "core-shapes.ttl"
    core.serialize(core_path, format="turtle")
    contenders = {"sistercity-kg": lambda: kg.validate(shapes=core)}
    if run_rdflib:
        contenders["pyshacl"] = lambda: validate_graph(graph, shapes=core)
    if pyrudof is not None:
        def rudof() -> object:
            r = pyrudof.Rudof(pyrudof.RudofConfig())
            for i, path in enumerate([*ontology_files(), data]):
                r.read_data(str(path), merge=i > 0)
            r.read_shacl(str(core_path))
            return r.validate_shacl()
        contenders["pyrudof"] = rudof
    op = f"{label} validate (SHACL Core part of the shapes)"
    out.append(Row(op, race(contenders, repeats, slow_after=10, operation=op)))
    ours = kg.validate(shapes=core)
    note = f"{len(ours.violations)} violations (injected {stats.violations})"
    if run_rdflib:  # the correctness check runs to the end, whatever the time limit
        same = validate_graph(graph, shapes=core) == ours
        note += f"; same report as pySHACL: {'yes' if same else 'NO'}"
        checks.append(f"{label}: fast report == pySHACL report (core shapes): {same}")
    if pyrudof is not None and (op, "pyrudof") not in CAPPED:
        rudof_report = rudof()
        note += f"; pyrudof: {len(rudof_report.violations) if hasattr(rudof_report, 'violations') else '?'} violations"
    out[-1].note = note
    _print(out[-1])
    full = kg.validate()
    out.append(Row(f"{label} validate (all bundled shapes, incl. SHACL-SPARQL)",
                   race({"sistercity-kg": lambda: kg.validate()}, repeats),
                   note=f"{len(full.violations)} violations, engine {full.engine}"))
    checks.append(f"{label}: violations found {len(full.violations)} == injected {stats.violations}: "
                  f"{len(full.violations) == stats.violations}")
    _print(out[-1])

    # queries
    for query in sck.queries():
        try:
            text = query.sparql()
        except Exception as exc:  # noqa: BLE001 - a parameter without default
            print(f"  skipped {query.id}: {exc}")
            continue
        contenders = {
            "sistercity-kg": lambda q=query: kg.query(q.id),
            "pyoxigraph": lambda t=text: materialise_ox(store.query(t, use_default_graph_as_union=True)),
        }
        if run_rdflib:
            contenders["rdflib"] = lambda t=text: materialise_rdflib(dataset.query(t))
        op = f"{label} query {query.id}"
        row = Row(op, race(contenders, repeats, slow_after=10, operation=op))
        row.note = f"{len(kg.query(query.id))} rows"
        out.append(row)
        _print(row)

    # infer
    contenders = {
        "sistercity-kg": lambda: kg.infer(rebuild=True),
        "pyoxigraph": lambda: rule_fixpoint_ox(store),
    }
    if run_rdflib:
        contenders["rdflib"] = lambda: rule_fixpoint_rdflib(graph)
    op = f"{label} infer (rules to a fixpoint)"
    out.append(Row(op, race(contenders, repeats, slow_after=10, operation=op)))
    kg.clear_inferred()
    _print(out[-1])

    # actors network
    text = sparql_prefixes() + NETWORK_QUERIES["actors"]

    def ox_network() -> nx.MultiGraph:
        rows = [(s["row"].value if s["row"] else "", *(s[k].value if s[k] is not None else None for k in ("s", "v", "x")))
                for s in store.query(text, use_default_graph_as_union=True)]
        return actors_graph(rows)

    def rdflib_network() -> nx.MultiGraph:
        rows = [tuple(None if t is None else str(t) for t in (r.row, r.s, r.v, r.x)) for r in graph.query(text)]
        return actors_graph(rows)  # type: ignore[arg-type]

    contenders = {"sistercity-kg": lambda: kg.network("actors"), "pyoxigraph": ox_network}
    if run_rdflib:
        contenders["rdflib"] = rdflib_network
    net = kg.network("actors")
    op = f"{label} actors network"
    out.append(Row(op, race(contenders, repeats, slow_after=10, operation=op),
                   note=f"{net.number_of_nodes()} nodes, {net.number_of_edges()} edges"))
    _print(out[-1])

    # export
    tmp = Path(tempfile.mkdtemp())
    contenders = {
        "sistercity-kg": lambda: kg.export(tmp / "kg.ttl"),
        "pyoxigraph": lambda: ox.serialize({ox.Triple(q.subject, q.predicate, q.object) for q in store},
                                           output=str(tmp / "ox.ttl"), format=ox.RdfFormat.TURTLE),
    }
    if run_rdflib:
        contenders["rdflib"] = lambda: graph.serialize(tmp / "rdflib.ttl", format="turtle")
    op = f"{label} export Turtle"
    out.append(Row(op, race(contenders, repeats, slow_after=10, operation=op)))
    _print(out[-1])

    # memory, each contender in a fresh interpreter
    mem = {name: memory(name, data) for name in ("sistercity-kg", "pyoxigraph", "rdflib") if name != "rdflib" or run_rdflib}
    out.append(Row(f"{label} memory after load (MB over baseline)", mem, note="resident set, fresh process each"))
    _print(out[-1], unit="MB")
    del kg, store, graph, dataset
    gc.collect()


_MEMORY_SCRIPT = """
import gc, sys
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
which, path = sys.argv[1], sys.argv[2]
import pyoxigraph as ox, rdflib
import sistercity_kg as sck
gc.collect(); base = rss()
if which == 'sistercity-kg':
    kept = sck.KnowledgeGraph(); kept.load_file(path)
elif which == 'pyoxigraph':
    kept = ox.Store(); kept.load(path=path, format=ox.RdfFormat.TURTLE)
else:
    kept = rdflib.Graph().parse(path, format='turtle')
gc.collect()
print(rss() - base)
"""


def memory(which: str, data: Path) -> float:
    if not sys.platform.startswith("linux"):
        return ABSENT
    done = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT, which, str(data)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def cold_start(repeats: int, out: list[Row]) -> None:
    exe = Path(sys.executable).with_name("sistercity-kg")
    command = [str(exe), "summary"] if exe.exists() else [sys.executable, "-m", "sistercity_kg", "summary"]
    times = []
    for _ in range(max(repeats, 3)):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - start)
    imports = subprocess.run([sys.executable, "-X", "importtime", "-c", "import sistercity_kg.cli"],
                             capture_output=True, text=True, check=True).stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in imports.splitlines() if "|" in line}
    heavy = [name for name in ("pyshacl", "networkx", "matplotlib", "rdflib.plugins.sparql") if name in modules]
    out.append(Row("sistercity-kg summary, cold start (wall, s)", {"sistercity-kg": statistics.median(times)},
                   note="imported by the CLI at start: " + (", ".join(heavy) or "none of pyshacl, networkx, matplotlib, rdflib SPARQL")))
    _print(out[-1])


def twin_list(out: list[Row]) -> None:
    if not TWIN_LIST.is_file():
        print(f"\n(no twin list at {TWIN_LIST}: skipped)")
        return
    kg = sck.load(include_data=False)
    t0 = time.perf_counter()
    imported = kg.import_twin_list(TWIN_LIST)
    t1 = time.perf_counter()
    report = kg.validate()
    t2 = time.perf_counter()
    net = kg.network("actors")
    t3 = time.perf_counter()
    out.append(Row("twin list: import + validate + actors network (s)",
                   {"sistercity-kg": t3 - t0},
                   note=(f"{imported.rows:,} rows, {len(kg):,} quads; import {t1 - t0:.2f} s, validate {t2 - t1:.2f} s "
                         f"({len(report.violations)} violations, {len(report.warnings)} warnings, {report.engine}), "
                         f"network {t3 - t2:.2f} s ({net.number_of_nodes():,} nodes, {net.number_of_edges():,} edges)")))
    _print(out[-1])


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

COLUMNS = ("sistercity-kg", "rdflib", "pyshacl", "pyrudof", "pyoxigraph")


def _fmt(value: float, unit: str = "s", capped: bool = False) -> str:
    if value != value:
        return "–"
    if capped:
        return f"> {value:.0f} s (stopped)"
    return f"{value:.0f} MB" if unit == "MB" else (f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s")


def _print(row: Row, unit: str = "s") -> None:
    peers = ", ".join(f"{k} {_fmt(v, unit, (row.operation, k) in CAPPED)}" for k, v in row.times.items() if k != "sistercity-kg")
    ratios = []
    for peer in ("rdflib", "pyshacl", "pyrudof"):
        r = row.ratio(peer, "sistercity-kg")
        if r == r:
            more = ">" if (row.operation, peer) in CAPPED else ""
            ratios.append(f"{more}{r:.1f}x faster than {peer}" if unit == "s" else f"{1 / r:.0%} of {peer}")
    r = row.ratio("sistercity-kg", "pyoxigraph")
    if r == r:
        ratios.append(f"{r:.2f}x the pyoxigraph floor")
    print(f"  {row.operation}: {_fmt(row.times.get('sistercity-kg', ABSENT), unit)}"
          + (f" ({peers})" if peers else "") + (f" -> {'; '.join(ratios)}" if ratios else "")
          + (f"  [{row.note}]" if row.note else ""), flush=True)


def table(rows: list[Row]) -> str:
    head = "| operation | " + " | ".join(COLUMNS) + " | peer / ours | ours / pyoxigraph | note |"
    lines = [head, "|" + " --- |" * (len(COLUMNS) + 4)]
    for row in rows:
        unit = "MB" if "MB" in row.operation else "s"
        peer = next((row.ratio(p, "sistercity-kg") for p in ("rdflib", "pyshacl") if p in row.times), ABSENT)
        floor = row.ratio("sistercity-kg", "pyoxigraph")
        cells = [_fmt(row.times.get(c, ABSENT), unit, (row.operation, c) in CAPPED) for c in COLUMNS]
        lines.append(f"| {row.operation} | " + " | ".join(cells)
                     + f" | {'–' if peer != peer else f'{peer:.1f}x'}{' (lower bound)' if any((row.operation, p) in CAPPED for p in ('rdflib', 'pyshacl')) else ''} | {'–' if floor != floor else f'{floor:.2f}x'} | {row.note} |")
    return "\n".join(lines)


def machine() -> str:
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    versions = {"sistercity-kg": sck.__version__, "pyoxigraph": ox.__version__, "rdflib": rdflib.__version__,
                "pyshacl": pyshacl.__version__, "networkx": nx.__version__,
                "pyrudof": getattr(pyrudof, "__version__", "installed") if pyrudof else "not installed"}
    return (f"{platform.platform()}; {os.cpu_count()} cores (nproc); {mem}; Python {platform.python_version()}; "
            + ", ".join(f"{k} {v}" for k, v in versions.items()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="sistercity-kg benchmarks against rdflib, pySHACL, pyrudof and pyoxigraph.")
    parser.add_argument("--quick", action="store_true", help="10k triples, one run, no twin list (what CI runs)")
    parser.add_argument("--sizes", default="100000", help="comma-separated triple counts (default 100000)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rdflib-max", type=int, default=200_000,
                        help="largest size at which rdflib and pySHACL run (they take minutes beyond)")
    parser.add_argument("--no-twin-list", action="store_true")
    parser.add_argument("--peer-limit", type=float, default=120.0,
                        help="seconds after which an rdflib/pySHACL/pyrudof run is stopped (default 120; --quick: 0.5)")
    parser.add_argument("--json", type=Path, help="also write the medians as JSON")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeats = 1 if args.quick else args.repeats
    global PEER_LIMIT
    PEER_LIMIT = 0.5 if args.quick else args.peer_limit
    print(f"# sistercity-kg benchmarks\n\nMachine: {machine()}\nRuns: median of {repeats}, contenders alternating; "
          f"peer runs stopped after {PEER_LIMIT:g} s.")
    rows: list[Row] = []
    checks: list[str] = []
    for size in sizes:
        bench_size(size, repeats, rdflib_max=args.rdflib_max, out=rows, checks=checks)
    print("\n## Start-up and real data")
    cold_start(repeats, rows)
    if not (args.quick or args.no_twin_list):
        twin_list(rows)
    print("\n## Table\n")
    print(table(rows))
    print("\n## Checks\n")
    for line in checks:
        print(f"- {line}")
    if args.json:
        args.json.write_text(json.dumps([{"operation": r.operation, "times": r.times, "note": r.note} for r in rows], indent=2))
    return 0 if all(line.endswith("True") for line in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
