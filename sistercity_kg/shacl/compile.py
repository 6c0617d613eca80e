"""The shapes graph compiled into one SPARQL query per constraint component and shape.

:func:`compile_shapes` walks the shapes that have targets, their ``sh:property`` shapes and every
shape they reach through ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` and
``sh:qualifiedValueShape``, and returns a :class:`Plan`: the queries (each joins the shape's targets
with one component's pattern, so one query checks every focus node) and the shapes it could not
compile, with the reason (those are validated by pySHACL: nothing is skipped).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .classes import ClassIndex
from .components import Context, Pattern, compile_components
from .paths import Unsupported, path_to_sparql
from .requirements import Requirement
from .sparql import inject, messages_of
from .targets import TARGET_PREDICATES, has_target, implicit_class, target_pattern, target_requirement

__all__ = ["Check", "Plan", "Compiler", "compile_shapes", "restricted", "Unsupported"]

_SEVERITIES = {SH.Violation, SH.Warning, SH.Info}


@dataclass
class Check:
    """One query: a component of a shape, for all focus nodes of a top-level shape."""

    top: Node  # the shape whose targets give the focus nodes
    shape: Node  # the shape reporting (sh:sourceShape)
    severity: URIRef
    path: Node | None  # the reporting shape's sh:path (shapes-graph term)
    pattern: Pattern
    query: str  # without prologue
    messages: list[Literal]
    #: What the data must hold for the check to have any result (see :mod:`.requirements`).
    requires: tuple[Requirement, ...] = ()
    #: The target pattern inside ``query`` (a sub-select of ``?this``; see :func:`restricted`).
    target: str = ""


@dataclass
class Plan:
    """Compiled checks, the shapes left to pySHACL (shape -> reason) and the shared prefixes."""

    checks: list[Check] = field(default_factory=list)
    unsupported: dict[Node, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    top_shapes: list[Node] = field(default_factory=list)
    #: Literals of sh:targetNode: Oxigraph canonicalises them ("4.0" -> "4"), reports keep them as written.
    target_literals: list[Literal] = field(default_factory=list)
    #: The classes the queries' class markers stand for (resolved against the data when validating).
    classes: ClassIndex = field(default_factory=ClassIndex)


class Compiler:
    """Compiles shapes of one shapes graph; fresh variable names for every nested pattern."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.prefixes: dict[str, str] = {}
        self.classes = ClassIndex()
        self._counter = 0
        self._stack: list[Node] = []
        #: parameters of SPARQL-based constraint components declared in the shapes graph
        self.custom_parameters = {
            p
            for component in graph.subjects(RDF.type, SH.ConstraintComponent)
            for parameter in graph.objects(component, SH.parameter)
            for p in graph.objects(parameter, SH.path)
        }

    def var(self, base: str) -> str:
        """A variable name used nowhere else in the query."""
        self._counter += 1
        return f"?{base}{self._counter}"

    def isa(self, var: str, cls: Node) -> str:
        """A marker for "``var`` is a SHACL instance of ``cls``" (resolved by :func:`.classes.resolve`)."""
        return self.classes.marker(var, cls, fresh=self.var("t"))

    def deactivated(self, shape: Node) -> bool:
        flag = self.graph.value(shape, SH.deactivated)
        return isinstance(flag, Literal) and flag.toPython() is True

    def shape_patterns(self, shape: Node, focus: str) -> list[tuple[Node, Pattern, Node | None]]:
        """(reporting shape, pattern, path) for the shape and its ``sh:property`` shapes."""
        if self.deactivated(shape):
            return []
        if shape in self._stack:
            raise Unsupported(f"a recursive shape ({shape})")
        self._stack.append(shape)
        try:
            path_node = self.graph.value(shape, SH.path)
            path = None if path_node is None else path_to_sparql(self.graph, path_node)
            ctx = Context(self, self.graph, shape, focus, path, path_node)
            out = [(shape, p, path_node) for p in compile_components(ctx)]
            properties = sorted(self.graph.objects(shape, SH.property), key=str)
            if properties and path is not None:
                raise Unsupported("sh:property on a property shape")
            for prop in properties:
                if self.graph.value(prop, SH.path) is None:
                    raise Unsupported(f"a sh:property value without sh:path ({prop})")
                out.extend(self.shape_patterns(prop, focus))
            return out
        finally:
            self._stack.pop()

    def violation_pattern(self, shape: Node, focus: str) -> str:
        """A group pattern with a solution iff the node in ``focus`` does not conform to ``shape``."""
        parts = []
        for _, pattern, _ in self.shape_patterns(shape, focus):
            parts.append("{ { " + pattern.text + " } }" if pattern.select else "{ " + pattern.text + " }")
        return " UNION ".join(parts) if parts else "FILTER (false)"

    def compile_top(self, shape: Node) -> list[Check]:
        """The checks of a shape with targets.

        Raises
        ------
        Unsupported
            If any part of the shape (or a shape it reaches) cannot be compiled.
        """
        severity_of: dict[Node, URIRef] = {}
        target = target_pattern(self.graph, shape, self.prefixes)
        targeted = target_requirement(self.graph, shape, self.classes.number)
        checks = []
        for reporter, pattern, path in self.shape_patterns(shape, "?this"):
            if reporter not in severity_of:
                severity = self.graph.value(reporter, SH.severity, default=SH.Violation)
                if severity not in _SEVERITIES:
                    raise Unsupported(f"a severity other than sh:Violation, sh:Warning, sh:Info ({severity})")
                severity_of[reporter] = severity
            if pattern.select:
                query = inject(pattern.text, target)
            else:
                projected = ["?this"] + [v for v in (pattern.value, pattern.path, pattern.key) if v and v != "?this"]
                query = f"SELECT DISTINCT {' '.join(projected)} WHERE {{ {target} {pattern.text} }}"
            requires = tuple(Requirement(predicates=(p,)) for p in pattern.requires)
            if targeted is not None:
                requires = (targeted,) + requires
            checks.append(Check(shape, reporter, severity_of[reporter], path, pattern, query,
                                messages_of(self.graph, reporter), requires, target))
        return checks


def restricted(check: Check, values: str) -> str:
    """The check's query for the focus nodes in ``values`` only (SPARQL terms, space-separated).

    A ``VALUES ?this`` block goes first into the target's sub-select, so every branch of the
    target (and the constraint after it) sees ``?this`` bound.
    """
    head = "{ SELECT DISTINCT ?this WHERE { "
    assert check.target.startswith(head), check.target
    target = head + "VALUES ?this { " + values + " } " + check.target[len(head):]
    # the target is the first group of the WHERE clause, so the first occurrence is it
    return check.query.replace(check.target, target, 1)


def top_level_shapes(graph: Graph) -> list[Node]:
    """Shapes with a target (explicit or implicit class), in a stable order."""
    candidates: set[Node] = set()
    for predicate in TARGET_PREDICATES:
        candidates.update(graph.subjects(predicate, None))
    for kind in (SH.NodeShape, SH.PropertyShape):
        candidates.update(s for s in graph.subjects(RDF.type, kind) if implicit_class(graph, s))
    return sorted((s for s in candidates if has_target(graph, s)), key=lambda n: (type(n).__name__, str(n)))


def compile_shapes(graph: Graph) -> Plan:
    """Compile every shape with targets; shapes that cannot be compiled are listed with the reason."""
    compiler = Compiler(graph)
    plan = Plan(prefixes=compiler.prefixes, classes=compiler.classes)
    for shape in top_level_shapes(graph):
        plan.top_shapes.append(shape)
        if compiler.deactivated(shape):
            continue
        try:
            plan.checks.extend(compiler.compile_top(shape))
            plan.target_literals.extend(n for n in graph.objects(shape, SH.targetNode) if isinstance(n, Literal))
        except Unsupported as exc:
            plan.unsupported[shape] = str(exc)
    return plan
