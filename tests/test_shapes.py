"""Tests of the SHACL shapes (ontology/shapes.ttl) against fixtures, the bundled data and the ontology.

Every result is traced to the node shape that owns it: a result's ``sh:sourceShape`` is
either a targeted node shape or a property shape that exactly one node shape lists under
``sh:property`` (a convention of shapes.ttl that :func:`test_every_constraint_has_one_owner`
checks). Fixtures are data only; the ontology and concept schemes are added to the data
graph before validating, so that ``sh:class`` sees the subclass axioms.

The shapes are applied with pySHACL directly (advanced=True for the SPARQL target of the
meta-shapes) so that only the report's top-level ``sh:result`` values are read; the public
``sistercity_kg.validation.validate_graph`` is checked to report the same results.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, SKOS
from rdflib.term import Node

from sistercity_kg.namespaces import PREFIXES, SCK, SCKSH
from sistercity_kg.resources import bundled_path

FIXTURES = Path(__file__).resolve().parent / "shapes"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
MUTATED = FIXTURES / "valid" / "complete-agreement.ttl"

#: Parameters of a node shape that choose its focus nodes (not constraints).
TARGET_PREDICATES = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
#: Predicates a targeted node shape may carry besides its targets: everything else would be a
#: constraint on the node shape itself, whose results could not be told apart by property.
NODE_SHAPE_PREDICATES = TARGET_PREDICATES | {RDF.type, SH.property, RDFS.comment, RDFS.label}


# ---------------------------------------------------------------------------
# Graphs (parsed once) and validation
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(bundled_path("ontology/shapes.ttl"), format="turtle")


@functools.lru_cache(maxsize=1)
def vocabulary_graph() -> Graph:
    """The ontology and the concept schemes: what every data graph is validated with."""
    graph = Graph()
    for name in ("ontology/sistercity.ttl", "ontology/schemes.ttl"):
        graph.parse(bundled_path(name), format="turtle")
    return graph


@functools.lru_cache(maxsize=None)
def fixture_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def with_vocabulary(data: Graph) -> Graph:
    """A fresh graph holding ``data`` plus the ontology and the schemes."""
    graph = Graph()
    graph += vocabulary_graph()
    graph += data
    return graph


@dataclass(frozen=True)
class Result:
    """One top-level SHACL result, with the node shape that owns its source shape."""

    focus: Node
    source_shape: Node
    owner: Node
    severity: URIRef
    path: Node | None


@functools.lru_cache(maxsize=1)
def owners() -> dict[Node, Node]:
    """Map every targeted node shape to itself and each of its property shapes to it."""
    shapes = shapes_graph()
    owner: dict[Node, Node] = {}
    for shape in targeted_node_shapes():
        owner[shape] = shape
        for prop in shapes.objects(shape, SH.property):
            owner[prop] = shape
    return owner


def targeted_node_shapes() -> set[Node]:
    shapes = shapes_graph()
    return {s for p in TARGET_PREDICATES for s in shapes.subjects(p, None)}


def validate(data: Graph) -> list[Result]:
    """Validate ``data`` (already holding the vocabulary) and return the top-level results."""
    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    report = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
    results = []
    for node in report_graph.objects(report, SH.result):
        source = report_graph.value(node, SH.sourceShape)
        results.append(
            Result(
                focus=report_graph.value(node, SH.focusNode),
                source_shape=source,
                owner=owners().get(source, source),
                severity=report_graph.value(node, SH.resultSeverity),
                path=report_graph.value(node, SH.resultPath),
            )
        )
    return results


def violations(results: list[Result]) -> list[Result]:
    return [r for r in results if r.severity == SH.Violation]


def warnings_of(results: list[Result]) -> list[Result]:
    return [r for r in results if r.severity == SH.Warning]


def curie(term: Node) -> str:
    for prefix, iri in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if isinstance(term, URIRef) and str(term).startswith(iri):
            return f"{prefix}:{str(term)[len(iri):]}"
    return term.n3()


def describe(results: list[Result]) -> str:
    return "\n".join(
        f"{curie(r.severity)} {curie(r.owner)} / {curie(r.source_shape)} at {curie(r.focus)}"
        f" ({curie(r.path) if r.path is not None else '-'})"
        for r in results
    )


# ---------------------------------------------------------------------------
# The shapes graph itself
# ---------------------------------------------------------------------------


def test_every_sck_class_is_targeted_by_a_shape() -> None:
    """Each sck: class is a target of some node shape, itself or through a superclass."""
    vocabulary, shapes = vocabulary_graph(), shapes_graph()
    targeted = set(shapes.objects(None, SH.targetClass))
    classes = {c for c in vocabulary.subjects(RDF.type, OWL.Class) if str(c).startswith(PREFIXES["sck"])}
    assert len(classes) > 20
    uncovered = [
        curie(c)
        for c in classes
        if not targeted & set(vocabulary.transitive_objects(c, RDFS.subClassOf))
    ]
    assert uncovered == []


def test_every_class_shape_is_named_after_its_class() -> None:
    """``scksh:<Class>Shape`` targets ``sck:<Class>`` (the naming the fixtures rely on)."""
    shapes = shapes_graph()
    named = 0
    for shape, cls in shapes.subject_objects(SH.targetClass):
        if str(cls).startswith(PREFIXES["sck"]) and shape != SCKSH.ClaimShape:
            assert shape == SCKSH[str(cls)[len(PREFIXES["sck"]):] + "Shape"], (shape, cls)
            named += 1
    assert named > 20


def test_every_constraint_has_one_owner() -> None:
    """Targeted node shapes hold constraints only in property shapes, each owned by one node shape."""
    shapes = shapes_graph()
    for shape in targeted_node_shapes():
        extra = set(shapes.predicates(shape, None)) - NODE_SHAPE_PREDICATES
        assert extra == set(), (curie(shape), extra)
    for prop in set(shapes.objects(None, SH.property)):
        parents = set(shapes.subjects(SH.property, prop))
        assert len(parents) == 1, (prop, parents)


def test_every_message_is_in_english_and_indonesian() -> None:
    shapes = shapes_graph()
    carriers = set(shapes.subjects(SH.message, None))
    assert carriers
    for node in carriers:
        langs = sorted(m.language or "" for m in shapes.objects(node, SH.message))
        assert langs == ["en", "id"], (node, langs)


def test_every_reporting_shape_has_messages() -> None:
    """Every property shape of a targeted node shape explains itself (itself or via its SPARQL)."""
    shapes = shapes_graph()
    checked = 0
    for prop, owner in owners().items():
        if prop == owner:
            continue
        sparql = list(shapes.objects(prop, SH.sparql))
        if (prop, SH.message, None) in shapes:
            checked += 1
        else:
            assert sparql and all((c, SH.message, None) in shapes for c in sparql), (curie(owner), prop)
            checked += 1
    assert checked > 80


def test_every_message_is_bilingual_on_results() -> None:
    """pySHACL hands out both messages: a result of each kind carries @en and @id text."""
    data = with_vocabulary(fixture_graph(FIXTURES / "invalid" / "PassageShape-no-quote.ttl"))
    _, report_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True
    )
    results = list(report_graph.subjects(RDF.type, SH.ValidationResult))
    assert results
    for node in results:
        langs = {m.language for m in report_graph.objects(node, SH.resultMessage)}
        assert {"en", "id"} <= langs


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


def expected_warnings(path: Path) -> set[Node]:
    """The warning shapes a valid fixture announces in its ``# expected-warnings:`` comment."""
    match = re.search(r"^# expected-warnings:(.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} must say which warnings it expects (or 'none')"
    names = match.group(1).split()
    if names == ["none"]:
        return set()
    return {SCKSH[n.removeprefix("scksh:")] for n in names}


def test_fixtures_exist() -> None:
    assert len(VALID) >= 2
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(path: Path) -> None:
    results = validate(with_vocabulary(fixture_graph(path)))
    assert violations(results) == [], describe(violations(results))
    assert {r.source_shape for r in warnings_of(results)} == expected_warnings(path), describe(results)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_with_its_shape_only(path: Path) -> None:
    shape = SCKSH[path.stem.split("-", 1)[0]]
    assert shape in targeted_node_shapes(), f"{path.name} names no targeted shape"
    found = violations(validate(with_vocabulary(fixture_graph(path))))
    assert found, f"{path.name}: no violation"
    assert {r.owner for r in found} == {shape}, describe(found)


def test_every_data_shape_has_an_invalid_fixture() -> None:
    """Each node shape that targets data (not the vocabulary) is shown failing by a fixture."""
    shapes = shapes_graph()
    meta = {s for s in targeted_node_shapes() if (s, SH.target, None) in shapes}
    named = {SCKSH[p.stem.split("-", 1)[0]] for p in INVALID}
    missing = sorted(curie(s) for s in targeted_node_shapes() - meta - named)
    assert missing == []


# ---------------------------------------------------------------------------
# The bundled data and the vocabulary
# ---------------------------------------------------------------------------


def test_bundled_data_conforms_with_the_expected_warnings() -> None:
    data = Graph().parse(bundled_path("data/bandung-seoul.ttl"), format="turtle")
    results = validate(with_vocabulary(data))
    assert violations(results) == [], describe(violations(results))
    partnerships = set(data.subjects(RDF.type, SCK.Partnership))
    undated = {
        a
        for a in data.subjects(RDF.type, SCK.CooperationActivity)
        if not any(True for p in (SCK.startDate, SCK.endDate) for _ in data.objects(a, p))
    }
    # The source names no term, no start date and no activity date.
    assert partnerships and undated
    expected = {(SCKSH.PartnershipWithoutTerm, p) for p in partnerships}
    expected |= {(SCKSH.PartnershipWithoutStartDate, p) for p in partnerships}
    expected |= {(SCKSH.ActivityWithoutDate, a) for a in undated}
    found = [(r.source_shape, r.focus) for r in warnings_of(results)]
    assert len(found) == len(set(found))
    assert set(found) == expected, describe(results)


def test_vocabulary_conforms() -> None:
    results = validate(with_vocabulary(Graph()))
    assert results == [], describe(results)


def _without(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> Graph:
    copy = Graph()
    copy += graph
    removed = [o for o in copy.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang]
    assert len(removed) == 1, (subject, predicate, lang, removed)
    copy.remove((subject, predicate, removed[0]))
    return copy


@pytest.mark.parametrize(
    ("term", "predicate", "lang", "shape"),
    [
        (SCK.Partnership, RDFS.label, "id", SCKSH.OntologyTermShape),
        (SCK.Partnership, RDFS.label, "en", SCKSH.OntologyTermShape),
        (SCK.partner, SKOS.definition, "en", SCKSH.OntologyTermShape),
        (SCK.signingDate, RDFS.label, "id", SCKSH.OntologyTermShape),
        (URIRef(PREFIXES["sckc"] + "field/culture"), SKOS.prefLabel, "id", SCKSH.ConceptShape),
        (URIRef(PREFIXES["sckc"] + "status/planned"), SKOS.prefLabel, "en", SCKSH.ConceptShape),
    ],
    ids=lambda v: curie(v) if isinstance(v, URIRef) else v,
)
def test_meta_shapes_catch_a_missing_label(term: URIRef, predicate: URIRef, lang: str, shape: URIRef) -> None:
    results = validate(_without(vocabulary_graph(), term, predicate, lang))
    assert results, "removing the label went unnoticed"
    assert {(r.owner, r.focus, r.severity) for r in results} == {(shape, term, SH.Violation)}, describe(results)


def test_validate_graph_reports_the_same_results() -> None:
    """The public API reports exactly the top-level results (not the sh:node details)."""
    from sistercity_kg.validation import validate_graph

    path = FIXTURES / "invalid" / "CooperationActivityShape-field-outside-scheme.ttl"
    data = with_vocabulary(fixture_graph(path))
    ours = {(r.focus, r.source_shape, str(r.severity).rsplit("#", 1)[-1]) for r in validate(data)}
    report = validate_graph(data, shapes=shapes_graph())
    theirs = {(r.focus_node, r.source_shape, r.severity.value) for r in report.results}
    assert theirs == ours
    assert not report.conforms
    assert all({"en", "id"} <= set(r.messages) for r in report.results)


# ---------------------------------------------------------------------------
# Mutation: removing a required triple is reported by exactly the requiring shape
# ---------------------------------------------------------------------------


def _focus_nodes(shape: Node, graph: Graph) -> set[Node]:
    shapes = shapes_graph()
    nodes: set[Node] = set(shapes.objects(shape, SH.targetNode))
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in graph.transitive_subjects(RDFS.subClassOf, cls):
            nodes |= set(graph.subjects(RDF.type, sub))
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(graph.subjects(p, None))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= set(graph.objects(None, p))
    return nodes


def _path_triples(path: Node, focus: Node, graph: Graph) -> set[tuple[Node, Node, Node]] | None:
    """The triples that give ``focus`` its values along ``path`` (None: a path not handled here)."""
    shapes = shapes_graph()
    if isinstance(path, URIRef):
        return {(focus, path, o) for o in graph.objects(focus, path)}
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return {(s, inverse, focus) for s in graph.subjects(inverse, focus)}
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        members = list(Collection(shapes, alternatives))
        if all(isinstance(m, URIRef) for m in members):
            return {(focus, m, o) for m in members for o in graph.objects(focus, m)}
    return None


@functools.lru_cache(maxsize=None)
def required_triples(path: Path) -> dict[tuple[Node, Node, Node], frozenset[tuple[Node, Node, Node]]]:
    """Derive from the shapes which triples of a fixture are required, and by whom.

    A triple is required by a property shape with ``sh:minCount n`` when it is one of the
    exactly ``n`` triples giving a focus node its values: removing it must make that shape
    (and no other) report that focus node. Maps each triple to the set of
    ``(owner node shape, property shape, focus node)`` expected to report its removal.
    """
    shapes, data = shapes_graph(), fixture_graph(path)
    graph = with_vocabulary(data)
    required: dict[tuple[Node, Node, Node], set[tuple[Node, Node, Node]]] = {}
    for prop, owner in owners().items():
        minimum = shapes.value(prop, SH.minCount)
        if prop == owner or minimum is None:
            continue
        for focus in _focus_nodes(owner, graph):
            triples = _path_triples(shapes.value(prop, SH.path), focus, graph)
            if triples is not None and len(triples) == int(minimum):
                for triple in triples & set(data):
                    required.setdefault(triple, set()).add((owner, prop, focus))
    return {t: frozenset(v) for t, v in required.items()}


def test_required_triples_cover_many_shapes() -> None:
    """The mutation test below is not vacuous: it can hit most data shapes."""
    required = required_triples(MUTATED)
    owners_hit = {owner for expected in required.values() for owner, _, _ in expected}
    assert len(required) > 30
    assert {SCKSH.PartnershipShape, SCKSH.AgreementShape, SCKSH.CooperationActivityShape,
            SCKSH.PassageShape, SCKSH.ClaimShape, SCKSH.SubStateActorShape} <= owners_hit


@functools.lru_cache(maxsize=None)
def _baseline(path: Path) -> frozenset[tuple[Node, Node, Node, Node]]:
    return frozenset(
        (r.owner, r.source_shape, r.focus, r.severity) for r in validate(with_vocabulary(fixture_graph(path)))
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_removing_a_required_triple_is_reported_by_its_shape(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(VALID), label="fixture")
    required = required_triples(path)
    triple = data.draw(st.sampled_from(sorted(required, key=lambda t: tuple(map(str, t)))), label="triple")
    mutated = Graph()
    mutated += fixture_graph(path)
    mutated.remove(triple)
    after = {(r.owner, r.source_shape, r.focus, r.severity) for r in validate(with_vocabulary(mutated))}
    new = {(owner, shape, focus) for owner, shape, focus, _ in after - _baseline(path)}
    assert new == set(required[triple]), (triple, new)
