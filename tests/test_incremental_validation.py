"""Incremental re-validation (sistercity_kg.shacl.incremental) against full validation.

The property that matters: after any edit, ``kg.revalidate(previous, ...)`` gives the report a full
``kg.validate()`` of the edited graph gives, result for result. Hypothesis draws random edits
(triples removed, triples added from the graph's own nodes, predicates the shapes read, classes and
ill-typed literals) of

- the bundled knowledge graph, alone (valid) or with invalid shape fixtures of ``tests/shapes``;
- a small graph under shapes written to exercise every kind of dependency the analysis follows
  (inverse, sequence, alternative and optional paths, ``sh:node``, ``sh:class`` with subclasses,
  ``sh:closed``, property pairs, qualified shapes, subjects-of/objects-of/node targets, a SPARQL
  constraint and a SPARQL target, and a ``*`` path the analysis cannot bound).

Edits go through ``kg.edits()`` (the recorder) or are passed as ``added``/``removed``; both must
give the full report. Further tests check ``validate(focus=...)``, the recorder, and that the
re-validation re-checks only a few focus nodes after a small edit.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

import sistercity_kg as sck
from sistercity_kg.shacl import compile_shapes
from sistercity_kg.shacl.dependencies import Unbounded, shape_paths, sparql_paths

HERE = Path(__file__).resolve().parent
INVALID = sorted((HERE / "shapes" / "invalid").glob("*.ttl"))
SCK = "https://w3id.org/sistercity-kg/ontology#"
EDITS = URIRef("https://example.org/graph/edits")


def _same(incremental, full) -> None:
    assert incremental.conforms == full.conforms
    assert incremental.results == full.results
    assert [r.messages for r in incremental.results] == [r.messages for r in full.results]


@functools.lru_cache(maxsize=1)
def _bundled_shapes() -> Graph:
    return Graph().parse(sck.resources.bundled_path("ontology/shapes.ttl"), format="turtle")


@functools.lru_cache(maxsize=1)
def _shape_predicates() -> tuple[URIRef, ...]:
    """Every predicate the bundled shapes read (paths, property pairs), and rdf:type."""
    g = _bundled_shapes()
    found = {o for o in g.objects(None, SH.path) if isinstance(o, URIRef)}
    found |= {o for p in (SH.inversePath, SH.equals, SH.lessThan, SH.lessThanOrEquals) for o in g.objects(None, p)
              if isinstance(o, URIRef)}
    return tuple(sorted(found | {RDF.type}, key=str))


CLASSES = [URIRef(SCK + c) for c in ("Partnership", "CityGovernment", "SubStateActor", "Agreement", "Passage",
                                     "CooperationActivity", "Jurisdiction", "Interest")]
LITERALS = [
    Literal("2010-05-01", datatype=XSD.date), Literal("2012", datatype=XSD.gYear), Literal("not a date"),
    Literal("Bandung", lang="en"), Literal("Bandung", lang="id"), Literal("Bandung", lang="fr"),
    Literal(True), Literal(3), Literal("P5Y", datatype=XSD.duration),
]


def _kg_with(fixtures: list[Path]) -> sck.KnowledgeGraph:
    kg = sck.load()
    for i, path in enumerate(fixtures):
        kg.load_file(path, graph=f"https://example.org/graph/fixture-{i}")
    return kg


def _draw_edit(data, kg: sck.KnowledgeGraph, predicates, classes, literals, *, new_nodes=()):
    """(added, removed) drawn from the graph's triples and nodes."""
    triples = sorted(kg.triples(), key=lambda t: tuple(map(str, t)))
    subjects = sorted({s for s, _, _ in triples if not isinstance(s, BNode)}, key=str) + list(new_nodes)
    removed = data.draw(st.lists(st.sampled_from(triples), max_size=3, unique=True), label="removed")
    removed = [t for t in removed if not any(isinstance(x, BNode) for x in t)]
    objects = st.one_of(st.sampled_from(subjects), st.sampled_from(classes), st.sampled_from(literals))
    triple = st.tuples(st.sampled_from(subjects), st.sampled_from(predicates), objects)
    added = data.draw(st.lists(triple, max_size=3, unique=True), label="added")
    return added, removed


def _apply_and_compare(kg: sck.KnowledgeGraph, added, removed, *, shapes: Graph | None, recorded: bool):
    previous = kg.validate(shapes=shapes)
    graphs = {}
    for q in kg.store.quads():  # each removed triple from every named graph that holds it
        graphs.setdefault((sck.terms.to_rdflib(q.subject), sck.terms.to_rdflib(q.predicate),
                           sck.terms.to_rdflib(q.object)), []).append(str(q.graph_name.value))
    if recorded:
        with kg.edits() as edit:
            for t in removed:
                for g in graphs.get(t, []):
                    kg.remove([t], graph=g)
            kg.add(added, graph=EDITS)
        assert edit.complete, edit.reason
        incremental = kg.revalidate(previous, edit=edit, shapes=shapes)
    else:
        for t in removed:
            for g in graphs.get(t, []):
                kg.remove([t], graph=g)
        kg.add(added, graph=EDITS)
        incremental = kg.revalidate(previous, added=added, removed=removed, shapes=shapes)
    full = kg.validate(shapes=shapes)
    _same(incremental, full)
    return incremental


# ---------------------------------------------------------------------------
# The bundled shapes: valid and invalid graphs
# ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_edits_of_the_bundled_graph_same_report_as_full_validation(data):
    fixtures = data.draw(st.lists(st.sampled_from(INVALID), max_size=3, unique=True), label="invalid fixtures")
    kg = _kg_with(fixtures)
    added, removed = _draw_edit(data, kg, _shape_predicates(), CLASSES, LITERALS,
                                new_nodes=[URIRef("https://w3id.org/sistercity-kg/id/partnership/new")])
    _apply_and_compare(kg, added, removed, shapes=None, recorded=data.draw(st.booleans(), label="recorded"))


# ---------------------------------------------------------------------------
# Shapes that use every kind of dependency
# ---------------------------------------------------------------------------

EX = "https://example.org/"
SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:Pfx sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/"^^xsd:anyURI ] .
ex:Thing a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:partner ; sh:class ex:Actor ; sh:minCount 1 ; sh:maxCount 2 ] ;
    sh:property [ sh:path ( ex:partner ex:country ) ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:inversePath ex:about ] ; sh:node ex:Report ] ;
    sh:property [ sh:path [ sh:alternativePath ( ex:start ex:end ) ] ; sh:datatype xsd:integer ] ;
    sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ;
    sh:property [ sh:path [ sh:zeroOrOnePath ex:partner ] ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path ex:name ; sh:qualifiedValueShape [ sh:languageIn ( "en" ) ] ; sh:qualifiedMinCount 1 ] ;
    sh:sparql [ sh:prefixes ex:Pfx ;
        sh:select "SELECT $this ?value WHERE { $this ex:partner ?value . FILTER NOT EXISTS { ?value ex:name ?n } }" ] .
ex:Report a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Named a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ; sh:uniqueLang true ] .
ex:Reported a sh:NodeShape ; sh:targetObjectsOf ex:about ; sh:class ex:Thing .
ex:Fixed a sh:NodeShape ; sh:targetNode ex:a , ex:t1 ;
    sh:closed true ; sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
    sh:property [ sh:path ex:name ] ; sh:property [ sh:path ex:country ] .
ex:Chain a sh:NodeShape ; sh:targetClass ex:Actor ;
    sh:property [ sh:path [ sh:zeroOrMorePath ex:partOf ] ; sh:maxCount 2 ] ;
    sh:property [ sh:path ex:country ; sh:disjoint ex:name ; sh:equals ex:countryCopy ] .
ex:Sparqled a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:Pfx ;
        sh:select "SELECT ?this WHERE { ?this ex:country ?c . ?c ex:name ?n }" ] ;
    sh:property [ sh:path ex:country ; sh:maxCount 1 ] .
"""
DATA = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:City rdfs:subClassOf ex:Actor .
ex:t1 a ex:Thing ; ex:partner ex:a , ex:b ; ex:start 1 ; ex:end 5 ; ex:name "T"@en .
ex:t2 a ex:Thing ; ex:partner ex:b ; ex:start 9 ; ex:end 5 .
ex:a a ex:Actor ; ex:country ex:c1 ; ex:countryCopy ex:c1 ; ex:name "A"@en ; ex:partOf ex:b .
ex:b a ex:City ; ex:country ex:c2 ; ex:partOf ex:c1 .
ex:c1 ex:name "C1"@en . ex:c2 ex:partOf ex:c1 .
ex:r1 ex:about ex:t1 ; ex:name "R"@en . ex:r2 ex:about ex:t2 .
"""
NODES = [URIRef(EX + n) for n in ("t1", "t2", "t3", "a", "b", "c1", "c2", "r1", "r2", "Thing", "Actor", "City")]
PREDICATES = [URIRef(EX + p) for p in ("partner", "country", "about", "start", "end", "name", "partOf", "countryCopy")]
PREDICATES += [RDF.type, RDFS.subClassOf]
SMALL_LITERALS = [Literal(1), Literal(7), Literal("x"), Literal("N", lang="en"), Literal("N", lang="id")]


@functools.lru_cache(maxsize=1)
def _custom_shapes() -> Graph:
    return Graph().parse(data=SHAPES, format="turtle")


def test_the_custom_shapes_compile_and_their_dependencies_are_as_expected():
    shapes = _custom_shapes()
    assert compile_shapes(shapes).unsupported == {}
    chain = [s for s in shapes.objects(URIRef(EX + "Chain"), SH.property) if shapes.value(s, SH.maxCount)][0]
    with pytest.raises(Unbounded):
        shape_paths(shapes, chain)
    thing = URIRef(EX + "Thing")
    paths = shape_paths(shapes, thing, prefixes={"ex": EX})
    assert ((EX + "partner", True), (EX + "name", True)) in paths  # from the SPARQL constraint


def _custom_kg() -> sck.KnowledgeGraph:
    kg = sck.KnowledgeGraph()
    kg.load_data(DATA, format="turtle", graph=EX + "graph/data")
    return kg


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_edits_under_every_kind_of_dependency_same_report_as_full_validation(data):
    kg = _custom_kg()
    added, removed = _draw_edit(data, kg, PREDICATES, NODES, SMALL_LITERALS)
    _apply_and_compare(kg, added, removed, shapes=_custom_shapes(), recorded=data.draw(st.booleans(), label="recorded"))


# ---------------------------------------------------------------------------
# What the re-validation does
# ---------------------------------------------------------------------------


def test_a_small_edit_re_checks_a_few_focus_nodes():
    kg = _kg_with(INVALID[:5])
    previous = kg.validate()
    partnership = URIRef("https://w3id.org/sistercity-kg/id/partnership/bandung-seoul-sister-city")
    added = [(partnership, URIRef(SCK + "endDate"), Literal("not a date"))]
    kg.add(added, graph=EDITS)
    new = kg.revalidate(previous, added=added)
    _same(new, kg.validate())
    assert "1 focus node(s) re-checked" in new.notes[-1]
    assert any(r.focus_node == partnership and r.value == Literal("not a date") for r in new.results)


def test_subclass_edits_and_unknown_edits_validate_in_full():
    kg = sck.load()
    previous = kg.validate()
    axiom = (URIRef(SCK + "Passage"), RDFS.subClassOf, URIRef(SCK + "Partnership"))
    kg.add([axiom], graph=EDITS)
    new = kg.revalidate(previous, added=[axiom])
    assert "rdfs:subClassOf" in new.notes[-1]
    _same(new, kg.validate())
    with kg.edits() as edit:
        kg.store.update(f"DELETE DATA {{ GRAPH <{EDITS}> {{ <{axiom[0]}> <{RDFS.subClassOf}> <{axiom[2]}> }} }}")
    assert not edit.complete and "update" in edit.reason
    again = kg.revalidate(new, edit=edit)
    assert "Validated in full" in again.notes[-1]
    _same(again, kg.validate())


def test_the_recorder_sees_the_library_writes(tmp_path: Path):
    kg = sck.load()
    ttl = tmp_path / "more.ttl"
    ttl.write_text(f"<{EX}s> <{EX}p> <{EX}o> .\n", encoding="utf-8")
    victim = next(iter(kg.triples()))
    with kg.edits() as edit:
        kg.load_file(ttl, graph=EX + "more")
        kg.load_data(f"<{EX}s2> <{EX}p> 1 .", format="turtle", graph=EX + "more")
        kg.add([(URIRef(EX + "s3"), URIRef(EX + "p"), Literal(2))], graph=EX + "more")
        kg.clear_graph(EX + "more")
        removed = kg.remove([victim], graph="https://w3id.org/sistercity-kg/graph/ontology")
    assert edit.complete
    as_text = {tuple(map(str, t)) for t in edit.added}
    assert {t for t in as_text if "example.org/s" in t[0]} and len(edit.added) == 3
    assert len(edit.removed) == 3 + removed
    # the store is the real one again
    import pyoxigraph as ox

    assert isinstance(kg.store.oxigraph, ox.Store)


def test_validate_focus_nodes_only():
    kg = _kg_with(INVALID[:8])
    full = kg.validate()
    wanted = sorted({r.focus_node for r in full.results}, key=str)[::3] + [URIRef(EX + "nothing-here")]
    only = kg.validate(focus=wanted)
    assert only.results == tuple(r for r in full.results if r.focus_node in set(wanted))
    assert kg.validate(focus=[]).results == ()


def test_sparql_dependencies_follow_the_query():
    assert sparql_paths("SELECT ?this WHERE { ?this <urn:p>/^<urn:q> ?x }", {}) == [
        (("urn:p", True), ("urn:q", False))]
    with pytest.raises(Unbounded):
        sparql_paths("SELECT ?this WHERE { ?this <urn:p> ?x . ?y <urn:q> ?z }", {})  # ?y, ?z: anywhere
    with pytest.raises(Unbounded):
        sparql_paths("SELECT ?this WHERE { ?this <urn:p>* ?x }", {})
    with pytest.raises(Unbounded):
        sparql_paths("SELECT ?this WHERE { BIND (IRI(CONCAT(STR(?this), '/x')) AS ?y) ?y <urn:p> ?z }", {})
    # a BIND of a variable is the same node
    assert sorted(sparql_paths("SELECT ?this WHERE { ?this <urn:p> ?x BIND (?x AS ?y) ?y <urn:q> ?z }", {})) == [
        (("urn:p", True),), (("urn:p", True), ("urn:q", True))]
