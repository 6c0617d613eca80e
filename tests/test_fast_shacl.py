"""Differential tests of the fast SHACL engine (sistercity_kg.shacl) against pySHACL, the reference.

The fast engine compiles shapes to SPARQL run by Oxigraph; pySHACL validates the same data graph
with the same shapes graph. Reports must be equal: the same multiset of results compared on focus
node, path, value, constraint component, severity and source shape, the same ``conforms``, and the
same messages wherever the shapes declare ``sh:message`` (pySHACL words its generic messages its own
way, so results of shapes without one are compared without the message).

Sources of cases:

- the W3C SHACL Core test suite in ``../shared/w3c-shacl/core`` (read in place, never copied; the
  tests are skipped with a reason when it is absent). Every test runs; the ones the compiler does
  not cover are listed in :data:`LEFT_TO_PYSHACL` and must be handed to pySHACL (with a note),
  never skipped; :data:`NOT_RUNNABLE` lists what neither engine can report;
- the shape fixtures of ``tests/shapes`` (valid and invalid), each with the ontology and schemes;
- the bundled data;
- hypothesis-generated mutations of a valid fixture (values removed, retyped, duplicated, replaced).
"""

from __future__ import annotations

import collections
import functools
from pathlib import Path

import pytest
from rdf_helpers import W3C_SHACL_CORE as W3C
from rdf_helpers import via_oxigraph, w3c_shacl_entries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

import sistercity_kg as sck
from sistercity_kg.errors import ShapesError
from sistercity_kg.resources import bundled_path
from sistercity_kg.shacl import compile_shapes, validate
from sistercity_kg.validation import ValidationReport, validate_graph

HERE = Path(__file__).resolve().parent
FIXTURES = sorted((HERE / "shapes").glob("*/*.ttl"))

#: W3C tests with a shape the compiler leaves to pySHACL, and why (the report must say so).
LEFT_TO_PYSHACL = {
    "path/path-strange-001": "a path node that is a sequence and an inverse path at once",
    "path/path-strange-002": "a sequence path of one member",
    "property/property-001": "sh:property on a property shape",
    "validation-reports/shared": "sh:property on a property shape",
}
#: W3C tests no engine of the library can report: the report's Severity has three values.
NOT_RUNNABLE = {"misc/severity-002": "a custom severity (ex:MySeverity)"}


# ---------------------------------------------------------------------------
# Comparing reports
# ---------------------------------------------------------------------------


def _declares_message(shapes: Graph, result) -> bool:
    return shapes.value(result.source_shape, SH.message) is not None or result.constraint == SH.SPARQLConstraintComponent


def comparable(report: ValidationReport, shapes: Graph) -> collections.Counter:
    """The report as a multiset of result keys (messages where the shapes declare them)."""
    keys = collections.Counter()
    for r in report.results:
        messages = tuple(sorted(r.messages.items())) if _declares_message(shapes, r) else None
        keys[(r.focus_node, r.path, r.value, r.constraint, r.severity, r.source_shape, messages)] += 1
    return keys


def assert_same(data: Graph, shapes: Graph) -> ValidationReport:
    reference = validate_graph(data, shapes=shapes)
    fast = validate(data, shapes=shapes)
    assert fast.conforms == reference.conforms
    expected, got = comparable(reference, shapes), comparable(fast, shapes)
    assert got == expected, f"pySHACL only: {expected - got}\nfast only: {got - expected}"
    return fast



# ---------------------------------------------------------------------------
# The W3C SHACL Core suite
# ---------------------------------------------------------------------------


W3C_TESTS = [(name, data, shapes) for name, data, shapes, _, _ in w3c_shacl_entries()]
needs_suite = pytest.mark.skipif(not W3C_TESTS, reason=f"the W3C SHACL suite is not at {W3C}")


@needs_suite
def test_the_suite_is_all_there():
    assert len(W3C_TESTS) >= 95  # 98 sht:Validate entries at the recorded commit
    names = {name for name, _, _ in W3C_TESTS}
    assert set(LEFT_TO_PYSHACL) <= names and set(NOT_RUNNABLE) <= names


@needs_suite
@pytest.mark.parametrize("name,data,shapes", W3C_TESTS, ids=[t[0] for t in W3C_TESTS])
def test_w3c_core_suite_same_report_as_pyshacl(name: str, data: Path, shapes: Path):
    shapes_graph = Graph().parse(shapes, format="turtle", publicID=shapes.as_uri())
    plan = compile_shapes(shapes_graph)
    if name in NOT_RUNNABLE:
        with pytest.raises(ValueError, match="Severity"):
            validate(via_oxigraph(data), shapes=shapes_graph)
        return
    report = assert_same(via_oxigraph(data), shapes_graph)
    if name in LEFT_TO_PYSHACL:
        assert plan.unsupported, f"{name} was expected to need pySHACL"
        assert report.engine == "sparql+pyshacl"
        assert any("pySHACL validated" in note for note in report.notes)
    else:
        assert not plan.unsupported, f"{name}: {plan.unsupported}"
        assert report.engine == "sparql" and report.notes == ()


# ---------------------------------------------------------------------------
# The project's shapes: fixtures, bundled data, mutations
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(bundled_path("ontology/shapes.ttl"), format="turtle")


@functools.lru_cache(maxsize=1)
def vocabulary() -> Graph:
    graph = Graph()
    for name in ("ontology/sistercity.ttl", "ontology/schemes.ttl"):
        graph += via_oxigraph(bundled_path(name))
    return graph


def test_bundled_shapes_compile_entirely():
    plan = compile_shapes(shapes())
    assert plan.unsupported == {}
    # one query per component and shape, not per node: as many queries as (shape, component) uses
    assert len(plan.checks) > 100
    assert all("?this" in check.query for check in plan.checks)


def test_fixtures_together_same_report_as_pyshacl():
    """All fixtures in one graph (one pySHACL run): every invalid fixture's violation must appear."""
    data = Graph()
    data += vocabulary()
    for path in FIXTURES:
        data += via_oxigraph(path)
    report = assert_same(data, shapes())
    assert len(report.violations) >= len([p for p in FIXTURES if p.parent.name == "invalid"]) // 2


@pytest.mark.parametrize(
    "path", [p for p in FIXTURES if p.parent.name == "valid"] + [p for p in FIXTURES if p.parent.name == "invalid"][::9],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_fixture_same_report_as_pyshacl(path: Path):
    data = Graph()
    data += vocabulary()
    data += via_oxigraph(path)
    report = assert_same(data, shapes())
    assert report.conforms == (path.parent.name == "valid")


def test_bundled_data_same_report_as_pyshacl():
    kg = sck.load()
    reference = kg.validate(engine="pyshacl")
    fast = kg.validate()
    assert fast.engine == "sparql" and reference.engine == "pyshacl"
    assert fast == reference  # conforms and the results in order, messages included
    assert fast.results == reference.results


MUTATED = HERE / "shapes" / "valid" / "complete-agreement.ttl"
OTHER_VALUES = [
    Literal("not a date"),
    Literal("2014", datatype=XSD.gYear),
    Literal("Bandung"),
    Literal("Bandung", lang="fr"),
    Literal(0),
    Literal(True),
    URIRef("https://w3id.org/sistercity-kg/concept/field/culture"),
    URIRef("https://w3id.org/sistercity-kg/concept/status/ongoing"),
    URIRef("https://example.org/nowhere"),
    BNode("mutation"),
]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutations_of_a_valid_graph_same_report_as_pyshacl(data):
    base = via_oxigraph(MUTATED)
    triples = sorted(base, key=str)
    graph = Graph()
    graph += base
    for _ in range(data.draw(st.integers(min_value=1, max_value=5), label="mutations")):
        s, p, o = data.draw(st.sampled_from(triples), label="triple")
        action = data.draw(st.sampled_from(["drop", "replace", "add"]), label="action")
        new = data.draw(st.sampled_from(OTHER_VALUES), label="value")
        if action in ("drop", "replace"):
            graph.remove((s, p, o))
        if action in ("replace", "add"):
            graph.add((s, p, new))
    full = Graph()
    full += vocabulary()
    full += graph
    assert_same(full, shapes())


# ---------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------

UNSUPPORTED_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Recursive a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:knows ; sh:node ex:Recursive ] ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Plain a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:age ; sh:maxCount 1 ] .
"""
UNSUPPORTED_DATA = """
@prefix ex: <https://example.org/> .
ex:a a ex:Person ; ex:knows ex:b ; ex:age 1, 2 .
ex:b a ex:Person .
"""


def test_uncovered_shape_goes_to_pyshacl_with_a_note():
    shapes_graph = Graph().parse(data=UNSUPPORTED_SHAPES, format="turtle")
    data = Graph().parse(data=UNSUPPORTED_DATA, format="turtle")
    plan = compile_shapes(shapes_graph)
    assert list(plan.unsupported) == [URIRef("https://example.org/Recursive")]
    report = assert_same(data, shapes_graph)
    assert report.engine == "sparql+pyshacl"
    assert len(report.notes) == 1 and "Recursive" in report.notes[0] and "recursive" in report.notes[0]
    # both shapes reported: the recursive one by pySHACL, the plain one by SPARQL
    shapes_reporting = {r.constraint for r in report.results}
    assert {SH.MinCountConstraintComponent, SH.NodeConstraintComponent, SH.MaxCountConstraintComponent} <= shapes_reporting
    with pytest.raises(ShapesError, match="does not cover"):
        validate(data, shapes=shapes_graph, engine="sparql")


def test_validate_a_file_with_the_bundled_ontology(tmp_path: Path):
    path = HERE / "shapes" / "invalid" / "AgreementShape-one-party.ttl"
    report = sck.validate(path)
    assert not report.conforms and report.engine == "sparql"
    assert {r.constraint for r in report.violations} == {SH.MinCountConstraintComponent}
    assert report == sck.validate(path, engine="pyshacl")


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of"):
        validate(sck.load(include_data=False), engine="fastest")
