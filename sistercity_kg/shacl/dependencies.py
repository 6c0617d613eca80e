"""Which triples a check reads, as paths from its focus node (for incremental re-validation).

A check's results for a focus node can only change when a triple it reads changes. What it reads is
written here as *dependency paths*: sequences of steps from the focus node, a step being a
predicate followed forwards or backwards (or any predicate: ``None``). A triple ``(x, p, y)`` that
an edit adds or removes can then affect exactly the focus nodes that reach ``x`` (a forward step
on ``p``) or ``y`` (a backward step) along the steps before it; :mod:`.incremental` walks those
steps backwards through the data.

Where the paths come from:

- targets: ``sh:targetClass`` (and implicit class targets) read ``rdf:type`` of the focus node,
  ``sh:targetSubjectsOf p`` ``p`` forwards, ``sh:targetObjectsOf p`` ``p`` backwards,
  ``sh:targetNode`` nothing; SPARQL-based targets as their query (below);
- constraints: the shape's ``sh:path`` (alternatives, sequences and inverses as steps,
  ``sh:zeroOrOnePath`` with and without its step); ``sh:class`` adds ``rdf:type`` of the value
  nodes; ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` and ``sh:qualifiedValueShape``
  add the nested shapes' paths after the value path; ``sh:equals``, ``sh:disjoint``,
  ``sh:lessThan(OrEquals)`` the other predicate from the focus node; ``sh:closed`` every
  predicate of the focus node;
- SHACL-SPARQL queries (``sh:select`` of constraints and targets): every triple pattern, connected
  to ``$this`` through variables (``BIND`` of a plain variable counts as the same node), becomes the
  steps of each simple route from ``$this`` to it, ``UNION``, ``OPTIONAL`` and ``EXISTS`` included.

:class:`Unbounded` is raised where no such paths exist: ``sh:zeroOrMorePath``/``sh:oneOrMorePath``
(``*``/``+``), sub-queries, ``SERVICE``, a triple pattern reachable from ``$this`` only through a
constant, a ``VALUES`` variable or a computed ``BIND``. A check whose paths are unbounded is run in
full on every re-validation. Subclass axioms are not paths: an edit of ``rdfs:subClassOf`` makes
the re-validation a full one.

Examples
--------
>>> from rdflib import Graph, URIRef
>>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
... ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:class ex:D ] .''',
... format="turtle")
>>> prop = g.value(URIRef("urn:ex:S"), URIRef("http://www.w3.org/ns/shacl#property"))
>>> sorted(shape_paths(g, prop))  # doctest: +NORMALIZE_WHITESPACE
[(('urn:ex:p', True), ('urn:ex:q', False)),
 (('urn:ex:p', True), ('urn:ex:q', False), ('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', True))]
>>> sparql_paths("SELECT ?this WHERE { ?this <urn:ex:a> ?x . FILTER NOT EXISTS { ?x <urn:ex:b> ?y } }", {})
[(('urn:ex:a', True), ('urn:ex:b', True)), (('urn:ex:a', True),)]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from .sparql import prepare_select
from .targets import implicit_class

__all__ = ["Step", "DepPath", "Unbounded", "shape_paths", "target_paths", "sparql_paths"]

#: (predicate IRI, or None for any predicate; True: subject to object, False: object to subject).
Step = tuple["str | None", bool]
#: Steps from the focus node.
DepPath = tuple[Step, ...]

_TYPE = str(RDF.type)
#: More alternatives than this and the paths are given up (``Unbounded``): they would not be cheaper
#: to walk than a full validation.
_MAX_PATHS = 256


class Unbounded(Exception):
    """What a check reads cannot be written as paths from its focus node."""


def _capped(paths: set[DepPath]) -> set[DepPath]:
    if len(paths) > _MAX_PATHS:
        raise Unbounded(f"more than {_MAX_PATHS} dependency paths")
    return paths


def _invert(path: DepPath) -> DepPath:
    return tuple((p, not forward) for p, forward in reversed(path))


def _concat(firsts: Iterable[DepPath], seconds: Iterable[DepPath]) -> set[DepPath]:
    return _capped({a + b for a, b in itertools.product(list(firsts), list(seconds))})


# -- SHACL paths -----------------------------------------------------------------------


def _list(graph: Graph, node: Node) -> list[Node]:
    return list(Collection(graph, node))


def value_paths(graph: Graph, node: Node) -> set[DepPath]:
    """The step sequences a SHACL path (``sh:path`` value) may follow."""
    if isinstance(node, URIRef):
        return {((str(node), True),)}
    if not isinstance(node, BNode):
        raise Unbounded(f"a path that is not an IRI or a blank node ({node!r})")
    if graph.value(node, SH.zeroOrMorePath) is not None or graph.value(node, SH.oneOrMorePath) is not None:
        raise Unbounded("a zero-or-more or one-or-more path")
    inner = graph.value(node, SH.zeroOrOnePath)
    if inner is not None:
        return {()} | value_paths(graph, inner)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return {_invert(p) for p in value_paths(graph, inverse)}
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return _capped(set().union(*(value_paths(graph, m) for m in _list(graph, alternatives))))
    if graph.value(node, RDF.first) is not None:
        out: set[DepPath] = {()}
        for member in _list(graph, node):
            out = _concat(out, value_paths(graph, member))
        return out
    raise Unbounded(f"an unknown kind of path ({node})")


# -- shapes ----------------------------------------------------------------------------


_OTHER_PREDICATE = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)
_NESTED_ONE = (SH.node, SH["not"], SH.qualifiedValueShape)
_NESTED_LIST = (SH["and"], SH["or"], SH.xone)


def shape_paths(graph: Graph, shape: Node, *, prefixes: dict[str, str] | None = None,
                _stack: tuple[Node, ...] = ()) -> set[DepPath]:
    """What the constraints of one shape (not its ``sh:property`` shapes) read, from its focus node."""
    if shape in _stack:
        raise Unbounded(f"a recursive shape ({shape})")
    flag = graph.value(shape, SH.deactivated)
    if isinstance(flag, Literal) and flag.toPython() is True:
        return set()
    stack = _stack + (shape,)
    path_node = graph.value(shape, SH.path)
    values = {()} if path_node is None else value_paths(graph, path_node)
    out = set(values)
    if graph.value(shape, SH["class"]) is not None:
        out |= {v + ((_TYPE, True),) for v in values}
    nested: list[Node] = [n for p in _NESTED_ONE for n in graph.objects(shape, p)]
    nested += [m for p in _NESTED_LIST for lst in graph.objects(shape, p) for m in _list(graph, lst)]
    if (graph.value(shape, SH.qualifiedValueShapesDisjoint) or Literal(False)).toPython() is True:
        for parent in graph.subjects(SH.property, shape):  # the sibling qualified shapes are read too
            for sibling in graph.objects(parent, SH.property):
                nested += list(graph.objects(sibling, SH.qualifiedValueShape))
    for member in nested:
        out |= _concat(values, nested_paths(graph, member, prefixes=prefixes, _stack=stack))
    for p in _OTHER_PREDICATE:
        for other in graph.objects(shape, p):
            out.add(((str(other), True),) if isinstance(other, URIRef) else ((None, True),))
    closed = graph.value(shape, SH.closed)
    if isinstance(closed, Literal) and closed.toPython() is True:
        out.add(((None, True),))
    for constraint in graph.objects(shape, SH.sparql):
        flag = graph.value(constraint, SH.deactivated)
        if isinstance(flag, Literal) and flag.toPython() is True:
            continue
        select = graph.value(constraint, SH.select)
        if select is None:
            raise Unbounded("a SPARQL constraint without sh:select")
        from .paths import path_to_sparql

        path_text = None if path_node is None else path_to_sparql(graph, path_node)
        text = prepare_select(str(select), this="?this", path=path_text)
        out |= set(sparql_paths(text, prefixes or {}))
    return _capped(out)


def nested_paths(graph: Graph, shape: Node, *, prefixes: dict[str, str] | None = None,
                 _stack: tuple[Node, ...] = ()) -> set[DepPath]:
    """What a shape and its ``sh:property`` shapes read (a shape used through ``sh:node`` and the like)."""
    out = shape_paths(graph, shape, prefixes=prefixes, _stack=_stack)
    for prop in graph.objects(shape, SH.property):
        out |= shape_paths(graph, prop, prefixes=prefixes, _stack=_stack + (shape,))
    return _capped(out)


def target_paths(graph: Graph, shape: Node, *, prefixes: dict[str, str] | None = None) -> set[DepPath]:
    """What deciding whether a node is a focus node of ``shape`` reads, from that node."""
    out: set[DepPath] = set()
    if any(True for _ in graph.objects(shape, SH.targetClass)) or implicit_class(graph, shape):
        out.add(((_TYPE, True),))
    for p in graph.objects(shape, SH.targetSubjectsOf):
        out.add(((str(p), True),))
    for p in graph.objects(shape, SH.targetObjectsOf):
        out.add(((str(p), False),))
    for target in graph.objects(shape, SH.target):
        select = graph.value(target, SH.select)
        if select is None:
            raise Unbounded(f"a target without sh:select ({target})")
        out |= set(sparql_paths(prepare_select(str(select), this="?this", path=None), prefixes or {}))
    return out


# -- SHACL-SPARQL queries -----------------------------------------------------------------


def _path_steps(p: object) -> set[DepPath]:
    """The step sequences of a triple pattern's predicate (an IRI, a variable or a property path)."""
    if isinstance(p, URIRef):
        return {((str(p), True),)}
    if isinstance(p, (Variable, BNode)):
        return {((None, True),)}
    if isinstance(p, InvPath):
        return {_invert(s) for s in _path_steps(p.arg)}
    if isinstance(p, SequencePath):
        out: set[DepPath] = {()}
        for member in p.args:
            out = _concat(out, _path_steps(member))
        return out
    if isinstance(p, AlternativePath):
        return _capped(set().union(*(_path_steps(m) for m in p.args)))
    if isinstance(p, MulPath):
        if p.mod != "?":
            raise Unbounded(f"a path with {p.mod}")
        return {()} | _path_steps(p.path)
    if isinstance(p, NegatedPath):  # any predicate but some: as any predicate, both ways if inverses are negated
        return {((None, True),), ((None, False),)}
    raise Unbounded(f"a predicate of an unknown kind ({p!r})")


def _is_var(term: object) -> bool:
    return isinstance(term, (Variable, BNode))


class _Patterns:
    """Triple patterns, variable aliases and unconnectable variables of one query."""

    def __init__(self) -> None:
        self.triples: list[tuple[object, object, object]] = []
        self.alias: dict[object, object] = {}
        self.opaque: set[object] = set()  # computed or VALUES-bound: not a node of the data walk

    def find(self, v: object) -> object:
        while v in self.alias:
            v = self.alias[v]
        return v

    def walk(self, node: object, *, root: bool = False) -> None:
        if isinstance(node, CompValue):
            name = node.name
            if name in ("SubSelect", "ServiceGraphPattern", "Service") or (name == "Project" and not root):
                raise Unbounded(f"a query with {name}")
            if name in ("BGP", "TriplesBlock"):
                flat = list(node.get("triples") or [])
                if flat and not isinstance(flat[0], (list, tuple)):
                    flat = [flat]
                for chunk in flat:
                    chunk = list(chunk)
                    for i in range(0, len(chunk) - 2, 3):
                        self.triples.append((chunk[i], chunk[i + 1], chunk[i + 2]))
            if name in ("Extend", "Bind"):
                var, expr = node.get("var"), node.get("expr")
                if isinstance(expr, Variable) and var is not None:
                    a, b = self.find(var), self.find(expr)
                    if a != b:
                        self.alias[a] = b
                elif var is not None:
                    self.opaque.add(var)
            if name in ("values", "InlineData", "InlineDataOneVar", "InlineDataFull", "ValuesClause"):
                for row in node.get("res") or []:
                    if isinstance(row, dict):
                        self.opaque.update(row)
                for v in node.get("var") or []:
                    if isinstance(v, Variable):
                        self.opaque.add(v)
            for key, value in node.items():
                if key not in ("_vars", "triples", "PV"):
                    self.walk(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                self.walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                self.walk(item)


def sparql_paths(text: str, prefixes: dict[str, str]) -> list[DepPath]:
    """The dependency paths of a SELECT query from its ``?this`` (sorted).

    Raises
    ------
    Unbounded
        If a triple pattern cannot be reached from ``?this`` through variables, or the query uses a
        feature the analysis does not follow (sub-queries, ``SERVICE``, ``*``/``+`` paths).
    """
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(text, initNs=prefixes).algebra
    except Exception as exc:  # rdflib raises several types for queries it cannot read
        raise Unbounded(f"the query could not be analysed ({exc})") from None
    patterns = _Patterns()
    body = algebra.get("p")
    while isinstance(body, CompValue) and body.name in ("Distinct", "Reduced", "Slice", "OrderBy"):
        body = body.get("p")  # the query's own modifiers, above its projection
    patterns.walk(body, root=True)
    this = patterns.find(Variable("this"))
    opaque = {patterns.find(v) for v in patterns.opaque}
    # edges between connectable variables, with the steps from one end to the other
    edges: dict[object, list[tuple[object, DepPath, int]]] = {}
    leaves: list[tuple[int, set[DepPath], object, object]] = []  # (pattern number, steps, s, o)
    for number, (s, p, o) in enumerate(patterns.triples):
        steps = _path_steps(p)
        s_, o_ = (patterns.find(s) if _is_var(s) else None), (patterns.find(o) if _is_var(o) else None)
        s_ = None if s_ in opaque else s_
        o_ = None if o_ in opaque else o_
        if s_ is None and o_ is None:
            raise Unbounded("a triple pattern not joined to $this through a variable")
        leaves.append((number, steps, s_, o_))
        if s_ is not None and o_ is not None:
            for step in steps:
                edges.setdefault(s_, []).append((o_, step, number))
                edges.setdefault(o_, []).append((s_, _invert(step), number))

    def routes_without(excluded: int) -> dict[object, set[DepPath]]:
        """Every simple route from ?this to each variable, not through pattern ``excluded``.

        In any solution the patterns' triples join up, so at least one end of a pattern is
        reached from $this without that pattern itself: routes around it are enough.
        """
        routes: dict[object, set[DepPath]] = {this: {()}}

        def explore(node: object, path: DepPath, seen: frozenset) -> None:
            for other, step, number in edges.get(node, []):
                if other in seen or number == excluded:
                    continue
                found = routes.setdefault(other, set())
                found.add(path + step)
                if sum(len(r) for r in routes.values()) > _MAX_PATHS:
                    raise Unbounded(f"more than {_MAX_PATHS} routes")
                explore(other, path + step, seen | {other})

        explore(this, (), frozenset({this}))
        return routes

    out: set[DepPath] = set()
    for number, steps, s_, o_ in leaves:
        routes = routes_without(number)
        reached = False
        for end, forward in ((s_, True), (o_, False)):
            if end is None or end not in routes:
                continue
            reached = True
            for route in routes[end]:
                for step in steps:
                    out.add(route + (step if forward else _invert(step)))
        if not reached:
            raise Unbounded("a triple pattern not joined to $this through variables")
    return sorted(_capped(out), key=repr)
