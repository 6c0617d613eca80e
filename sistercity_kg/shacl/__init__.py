"""Fast SHACL validation: the shapes compiled to SPARQL and evaluated by Oxigraph.

:func:`validate` checks any graph — a :class:`~sistercity_kg.KnowledgeGraph`, an rdflib graph or a
file — against any shapes (the bundled ones by default). Every SHACL Core constraint component,
SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``) and SPARQL-based targets are compiled
into one SPARQL query per constraint component and shape, evaluated over all focus nodes at once;
the report is the one pySHACL gives (same focus nodes, paths, values, constraint components,
severities, source shapes and declared messages).

At validation time the plan is fitted to the data: the subclass closures that ``sh:class`` tests
are read once (:mod:`.classes`), checks that cannot report anything because their target class or
value predicate has no triple are left out (:mod:`.requirements`), and the rest run on a few
threads (Oxigraph releases the GIL), merged in plan order.

pySHACL stays the reference engine (``engine="pyshacl"``). With ``engine="auto"`` (the default) a
shape the compiler does not cover is validated by pySHACL, and the report says so in
``report.notes``; no constraint is ever skipped. ``engine="sparql"`` refuses such shapes instead.

Covered: targets (``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``, implicit class targets, ``sh:SPARQLTarget``); every path kind; the
components ``class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive
maxInclusive minLength maxLength pattern(+flags) languageIn uniqueLang equals disjoint lessThan
lessThanOrEquals not and or xone node property qualifiedValueShape(+min/max, disjoint) closed
(+ignoredProperties) hasValue in sparql``; ``sh:deactivated``, ``sh:severity``, ``sh:message``.
Left to pySHACL: recursive shapes, ``sh:property`` on a property shape, SPARQL-based constraint
components, SHACL-AF rules and functions, blank nodes as ``sh:hasValue``/``sh:in``/``sh:targetNode``
constants, custom severities, SPARQL queries using ``$currentShape``, ``$shapesGraph``, ``SERVICE``
or ``MINUS``. Well-formedness of ``sh:datatype`` values is tested by a cast for the XSD types
Oxigraph can cast to (numbers, boolean, dates and times, durations, gregorian types).

Examples
--------
>>> import sistercity_kg as sck
>>> from sistercity_kg.shacl import validate
>>> report = validate(sck.load())
>>> report.conforms, report.engine
(True, 'sparql')
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..errors import ShapesError, StoreError
from ..terms import TsvTerms, tsv_table
from ..validation import ValidationReport, _bundled_shapes, load_shapes, validate_graph
from .classes import closures, resolve
from .compile import TARGET_PREDICATES, Check, Plan, compile_shapes, restricted
from .paths import iri
from .report import make_report, results_of
from .requirements import met, runnable
from .sparql import prologue
from .targets import implicit_class

__all__ = ["validate", "compile_shapes", "Plan", "ENGINES"]

#: The engines :func:`validate` accepts.
ENGINES = ("auto", "sparql", "pyshacl")

_DATA_GRAPH = ox.NamedNode("urn:x-sistercity-kg:validation-data")
#: At most this many threads evaluate the compiled checks.
_MAX_WORKERS = 4
_PLANS: dict[int, tuple[Graph, int, Plan]] = {}
#: Compiled query -> seconds it took last time (the order in which checks are started).
_LAST_SECONDS: dict[str, float] = {}


def plan_for(shapes: Graph) -> Plan:
    """The compiled plan of a shapes graph (cached while the graph is unchanged)."""
    cached = _PLANS.get(id(shapes))
    if cached is not None and cached[0] is shapes and cached[1] == len(shapes):
        return cached[2]
    plan = compile_shapes(shapes)
    if len(_PLANS) > 8:
        _PLANS.clear()
    _PLANS[id(shapes)] = (shapes, len(shapes), plan)
    return plan


def validate(
    data: Any, *, shapes: Graph | str | Path | None = None, engine: str = "auto", focus: Iterable[Node] | None = None
) -> ValidationReport:
    """Validate a graph against SHACL shapes (all focus nodes, or only some).

    Parameters
    ----------
    data : KnowledgeGraph, rdflib.Graph, str or Path
        What to validate. A knowledge graph is validated as the union of its graphs; a file is
        loaded with the bundled ontology and schemes when the shapes are the bundled ones (so
        ``sh:class`` sees the subclass axioms), alone otherwise. An rdflib graph is taken as is.
    shapes : rdflib.Graph, str or Path, optional
        The shapes graph or file; the bundled ``ontology/shapes.ttl`` by default.
    engine : {"auto", "sparql", "pyshacl"}
        ``"auto"``: compiled SPARQL, pySHACL for the shapes it does not cover (noted in the report);
        ``"sparql"``: compiled SPARQL only; ``"pyshacl"``: pySHACL only (the reference).
    focus : iterable of rdflib terms, optional
        Validate only these nodes: the report holds the results whose focus node is one of them,
        exactly those a full validation has for them. The compiled engine restricts every query
        to the given IRIs (``VALUES ?this``), so a few nodes of a large graph validate in
        milliseconds; blank nodes and literals are picked from the results of the full queries.

    Returns
    -------
    ValidationReport
        ``report.engine`` names the engine(s) used and ``report.notes`` why pySHACL ran, if it did.

    Raises
    ------
    ShapesError
        If the shapes cannot be read or applied, or ``engine="sparql"`` meets an uncovered shape.
    ValueError
        If ``engine`` is not one of :data:`ENGINES`.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}.")
    wanted = None if focus is None else set(focus)
    shapes_graph = _shapes(shapes)
    store, union, rdflib_copy = _data(data, bundled=shapes is None)
    if engine == "pyshacl" or store is None:
        report = validate_graph(rdflib_copy(), shapes=shapes_graph)
        if wanted is not None:
            report = make_report([r for r in report.results if r.focus_node in wanted], engine=report.engine,
                                 notes=report.notes)
        return report
    plan = plan_for(shapes_graph)
    if engine == "sparql" and plan.unsupported:
        reasons = "; ".join(f"{shape}: {why}" for shape, why in plan.unsupported.items())
        raise ShapesError(f"The SPARQL engine does not cover these shapes: {reasons}.")
    if wanted is None:
        return _run(plan, shapes_graph, store, union, rdflib_copy)
    return _run(plan, shapes_graph, store, union, rdflib_copy, focus_of=lambda check: wanted, fallback_focus=wanted)


def _shapes(shapes: Graph | str | Path | None) -> Graph:
    if shapes is None:
        return _bundled_shapes()
    if isinstance(shapes, Graph):
        return shapes
    return load_shapes(shapes)


def _data(data: Any, *, bundled: bool):
    """(pyoxigraph store or None, union flag, function returning an rdflib copy)."""
    from ..graph import KnowledgeGraph, load

    if isinstance(data, (str, Path)):
        kg = load(include_data=False) if bundled else KnowledgeGraph()
        kg.load_file(data)
        data = kg
    if isinstance(data, KnowledgeGraph):
        try:
            store = data._store
        except StoreError:  # a SPARQL server: pySHACL on a copy
            return None, True, data.to_rdflib
        return store, True, data.to_rdflib
    if isinstance(data, Graph):
        from ..terms import to_oxigraph

        store = ox.Store()
        store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), _DATA_GRAPH) for s, p, o in data.triples((None, None, None)))
        return store, True, lambda: data
    raise TypeError(f"Cannot validate {type(data).__name__}; give a KnowledgeGraph, an rdflib Graph or a path.")


def _run(plan: Plan, shapes: Graph, store: ox.Store, union: bool, rdflib_copy, *,
         focus_of: Callable[[Check], set | None] | None = None, fallback_focus: set | None = None,
         notes: tuple[str, ...] = ()) -> ValidationReport:
    """Evaluate the plan's checks on the store (and pySHACL for the shapes it leaves over).

    ``focus_of(check)`` restricts a check to a set of focus nodes (rdflib terms; ``None``: all of
    them, an empty set: skip the check); ``fallback_focus`` likewise filters pySHACL's results.
    """
    cache = TsvTerms()  # focus nodes repeat across checks: each converted once
    if plan.target_literals:  # report literal focus nodes as the shapes write them
        from .terms import sparql_term

        probe = ox.Store().query("SELECT * WHERE { VALUES ?x { " + " ".join(map(sparql_term, plan.target_literals)) + " } }")
        _, rows = tsv_table(probe.serialize(format=ox.QueryResultsFormat.TSV))  # type: ignore[union-attr]
        for (field,), original in zip(rows, plan.target_literals):
            cache[field] = original
    head = prologue(plan.prefixes)
    # subclass closures read from this data, once: the queries test rdf:type against constants
    closure = closures(store, plan.classes, union=union)
    # checks whose target class or value predicate has no triple at all cannot report anything
    satisfied = met(store, (r for check in plan.checks for r in check.requires), closure, plan.classes, union=union)
    wanted = {id(check): None if focus_of is None else focus_of(check) for check in plan.checks}
    todo = [check for check in plan.checks if runnable(check.requires, satisfied) and wanted[id(check)] != set()]

    def evaluate(check: Check) -> list | Exception:
        started = time.perf_counter()
        try:
            return _evaluate(check)
        finally:
            if focus_of is None:  # a run on a few focus nodes says nothing of a full one
                if len(_LAST_SECONDS) > 10_000:  # many shapes graphs (e.g. a test suite): start again
                    _LAST_SECONDS.clear()
                _LAST_SECONDS[check.query] = time.perf_counter() - started

    def _evaluate(check: Check) -> list | Exception:
        nodes, keep = wanted[id(check)], None
        query = check.query
        if nodes is not None:
            values = _values(nodes)
            if values is None:  # a blank node or literal: all focus nodes, then only the wanted ones
                keep = nodes
            else:
                query = restricted(check, values)
        try:
            answer = store.query(head + resolve(query, closure, plan.classes), use_default_graph_as_union=union)
            # as TSV: Oxigraph evaluates and writes it without Python's lock, beside the other checks
            names, rows = tsv_table(answer.serialize(format=ox.QueryResultsFormat.TSV))  # type: ignore[union-attr]
            found = list(results_of(check, names, rows, cache))
        except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
            return exc
        return found if keep is None else [r for r in found if r.focus_node in keep]

    # Oxigraph releases the GIL while it computes solutions, so checks run side by side on the
    # available cores; results are merged in plan order below, as a sequential run would.
    workers = min(_workers(), len(todo))
    if workers > 1:
        # the longest checks of the last validation first (new ones before them), so that no
        # thread is left with a long check at the end while the others wait
        longest_first = sorted(todo, key=lambda check: -_LAST_SECONDS.get(check.query, float("inf")))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sck-shacl") as pool:
            done = dict(zip(map(id, longest_first), pool.map(evaluate, longest_first)))
        outcomes = [done[id(check)] for check in todo]
    else:
        outcomes = [evaluate(check) for check in todo]
    results = []
    unsupported = dict(plan.unsupported)
    by_top: dict[object, list] = {}
    for check, found in zip(todo, outcomes):
        if check.top in unsupported:
            continue
        if isinstance(found, Exception):
            # e.g. a sh:select Oxigraph cannot parse: pySHACL takes the whole shape over
            unsupported[check.top] = f"the compiled query failed ({found})"
            by_top.pop(check.top, None)
            continue
        by_top.setdefault(check.top, []).extend(found)
    for found in by_top.values():
        results.extend(found)
    engine = "sparql"
    if unsupported:
        reduced = _only(shapes, plan, set(unsupported))
        fallback = validate_graph(rdflib_copy(), shapes=reduced)
        results.extend(r for r in fallback.results if fallback_focus is None or r.focus_node in fallback_focus)
        engine = "sparql+pyshacl"
        notes = notes + tuple(f"pySHACL validated {shape}: {why}."
                              for shape, why in sorted(unsupported.items(), key=lambda kv: str(kv[0])))
    return make_report(results, engine=engine, notes=notes)


def _values(nodes: set) -> str | None:
    """IRIs as the body of a ``VALUES`` block; ``None`` if a node is not an IRI.

    Blank nodes cannot be written in a query, and literals are canonicalised by Oxigraph's parser
    ("4.0" becomes "4"), so those focus nodes are filtered from the results instead.
    """
    if not all(isinstance(n, URIRef) for n in nodes):
        return None
    return " ".join(sorted(iri(n) for n in nodes))


def _workers() -> int:
    """Threads for the checks: the cores this process may use, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_WORKERS))


def _only(shapes: Graph, plan: Plan, keep: set) -> Graph:
    """A copy of the shapes in which only the ``keep`` shapes have targets."""
    reduced = Graph()
    for triple in shapes:
        reduced.add(triple)
    for prefix, namespace in shapes.namespaces():
        reduced.bind(prefix, namespace, override=True, replace=True)
    for shape in plan.top_shapes:
        if shape in keep:
            continue
        for predicate in TARGET_PREDICATES:
            reduced.remove((shape, predicate, None))
        if implicit_class(shapes, shape):
            for t in list(shapes.objects(shape, RDF.type)):
                if t not in (SH.NodeShape, SH.PropertyShape):
                    reduced.remove((shape, RDF.type, t))
    return reduced
