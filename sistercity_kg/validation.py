"""SHACL validation: the bundled shapes applied with pySHACL, results as dataclasses.

pySHACL runs on an rdflib in-memory graph (it is ~20x slower on a pyoxigraph store), so
:meth:`KnowledgeGraph.validate` hands it a copy of the union of the store's graphs.
"""

from __future__ import annotations

import enum
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import ShapesError
from .namespaces import PREFIXES
from .resources import SHAPES_FILE, bundled_path

__all__ = [
    "Severity",
    "ValidationResult",
    "ValidationReport",
    "validate_graph",
    "load_shapes",
    "sort_results",
]


class Severity(enum.Enum):
    """SHACL severities, most severe first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: Node) -> Severity:
        return cls(str(iri).rsplit("#", 1)[-1])


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node, which path and value, and what to fix.

    ``message`` is the English message; ``messages`` maps every language tag to its message.
    """

    focus_node: Node
    severity: Severity
    message: str
    source_shape: Node | None = None
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    messages: dict[str, str] = field(default_factory=dict, compare=False)

    def text(self, *, lang: str = "en", prefixes: dict[str, str] | None = None) -> str:
        """A one-line readable form, e.g. ``Warning sckid:partnership/x (sck:term): ...``."""
        short = functools.partial(_shorten, prefixes=prefixes or dict(PREFIXES))
        where = short(self.focus_node)
        if isinstance(self.path, URIRef):  # a complex path (a blank node) says nothing readable
            where += f" ({short(self.path)})"
        message = self.messages.get(lang, self.message)
        return f"{self.severity.value} {where}: {message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (terms as strings)."""
        return {
            "severity": self.severity.value,
            "focus_node": str(self.focus_node),
            "path": None if self.path is None else str(self.path),
            "value": None if self.value is None else str(self.value),
            "source_shape": None if self.source_shape is None else str(self.source_shape),
            "constraint": None if self.constraint is None else str(self.constraint),
            "message": self.message,
            "messages": dict(self.messages),
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph against the shapes.

    ``conforms`` is true when there is no ``sh:Violation``: warnings are advice.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    #: Which engine produced the results: ``"sparql"`` (compiled SHACL, :mod:`sistercity_kg.shacl`),
    #: ``"pyshacl"``, or ``"sparql+pyshacl"`` when pySHACL took over some shapes (see ``notes``).
    engine: str = field(default="pyshacl", compare=False)
    #: Notes on how the report was made, e.g. which shapes pySHACL validated and why.
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity is Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity is Severity.WARNING)

    @property
    def infos(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity is Severity.INFO)

    def text(self, *, lang: str = "en") -> str:
        """A readable multi-line report, most severe results first."""
        verdict = "conforms" if self.conforms else "does not conform"
        head = (
            f"The graph {verdict}: {len(self.violations)} violation(s), "
            f"{len(self.warnings)} warning(s), {len(self.infos)} info(s)."
        )
        lines = [head] + ["  " + r.text(lang=lang) for r in self.results]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [r.to_dict() for r in self.results],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


@functools.lru_cache(maxsize=1)
def _bundled_shapes() -> Graph:
    return load_shapes(bundled_path(SHAPES_FILE))


def load_shapes(path: str | Path) -> Graph:
    """Parse a SHACL shapes file into an rdflib graph.

    Raises
    ------
    ShapesError
        If the file is missing or not valid Turtle.
    """
    from .inputs import check_shapes_file

    check_shapes_file(path)  # encoding, syntax (file, line, column) and nesting, checked by Oxigraph first
    graph = Graph()
    try:
        graph.parse(str(path), format="turtle")
    except FileNotFoundError as exc:
        raise ShapesError(f"{path}: no such shapes file.") from exc
    except RecursionError:
        raise ShapesError(f"{path}: the shapes are nested too deeply for rdflib's Turtle parser.") from None
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise ShapesError(f"{path}: the shapes are not valid Turtle ({exc}).") from exc
    return graph


def validate_graph(data: Graph, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate an rdflib graph against the shapes (the bundled ones by default).

    The data graph must include the ontology and concept schemes, so that ``sh:class``
    sees the subclass axioms; :meth:`KnowledgeGraph.validate` does that for you.

    Raises
    ------
    ShapesError
        If pySHACL cannot apply the shapes.
    """
    shapes_graph = _bundled_shapes() if shapes is None else shapes
    if shapes is not None:  # shapes from users: no SERVICE, no parser-crashing nesting
        from .inputs import check_shapes_queries

        check_shapes_queries(shapes_graph)
    import pyshacl  # here, not at the top: it (and rdflib's SPARQL engine) costs ~0.2 s at start-up

    try:
        _, results_graph, _ = pyshacl.validate(
            data,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,  # SPARQL-based targets of the meta-shapes
            allow_warnings=True,
        )
    except Exception as exc:  # pySHACL reports broken shapes with its own types
        raise ShapesError(f"The shapes could not be applied: {exc}") from exc
    return _report_from_graph(results_graph, shapes_graph)


def _report_from_graph(results: Graph, shapes: Graph) -> ValidationReport:
    # Only the report's own results: sh:detail results nested under sh:node checks are not repeated.
    nodes = [node for report in results.subjects(RDF.type, SH.ValidationReport) for node in results.objects(report, SH.result)]
    items = sort_results(_result(results, node, shapes) for node in nodes)
    conforms = not any(r.severity is Severity.VIOLATION for r in items)
    return ValidationReport(conforms=conforms, results=tuple(items))


_ORDER = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_results(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """Results most severe first, then by focus node, path and message (ties: value, component, shape)."""
    return sorted(
        results,
        key=lambda r: (
            _ORDER[r.severity], str(r.focus_node), str(r.path), r.message, str(r.value), str(r.constraint), str(r.source_shape),
        ),
    )


def _result(results: Graph, node: Node, shapes: Graph) -> ValidationResult:
    messages: dict[str, str] = {}
    # pySHACL keeps one sh:message of a SPARQL constraint; the shapes hold every language.
    declared = list(results.objects(node, SH.resultMessage))
    tags: dict[str, str] = {}  # pySHACL drops the language tag of SPARQL constraints' messages
    for origin in (results.value(node, SH.sourceConstraint), results.value(node, SH.sourceShape)):
        if origin is not None:
            own = list(shapes.objects(origin, SH.message))
            declared += own
            tags.update((str(m), m.language) for m in own if isinstance(m, Literal) and m.language)
    for msg in declared:
        lang = msg.language if isinstance(msg, Literal) and msg.language else tags.get(str(msg), "en")
        messages.setdefault(lang, str(msg))
    english = messages.get("en") or next(iter(messages.values()), "")
    return ValidationResult(
        focus_node=results.value(node, SH.focusNode),
        severity=Severity.from_iri(results.value(node, SH.resultSeverity)),
        message=english,
        messages=messages,
        source_shape=results.value(node, SH.sourceShape),
        path=results.value(node, SH.resultPath),
        value=results.value(node, SH.value),
        constraint=results.value(node, SH.sourceConstraintComponent),
    )


def _shorten(term: Node | None, *, prefixes: dict[str, str]) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        text = str(term)
        # longest namespace first, so sckid: wins over a shorter match
        for prefix, iri in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(iri) and len(text) > len(iri):
                return f"{prefix}:{text[len(iri):]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        return repr(str(term))
    return "[]"  # blank node: anonymous path expressions and nodes


def results_as_lines(results: Iterable[ValidationResult], *, lang: str = "en") -> list[str]:
    """Readable one-line forms of several results."""
    return [r.text(lang=lang) for r in results]
