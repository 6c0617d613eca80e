"""The fast SHACL engine's run-time plan: subclass closures, skipped checks, threads.

Each test compares the compiled engine with pySHACL (the reference) on data built to exercise one
of the run-time decisions of :mod:`sistercity_kg.shacl`:

- ``sh:class`` tests ``rdf:type`` against the subclass closure read from the data being validated
  (:mod:`sistercity_kg.shacl.classes`): the closure must follow the data, including subclass axioms
  added between two validations, and a blank-node subclass falls back to the path;
- checks whose target class or value predicate is absent are not run
  (:mod:`sistercity_kg.shacl.requirements`): the report must still equal pySHACL's whether those
  triples are there or not;
- the checks run on several threads: the report must equal a one-thread run, result for result.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH

import sistercity_kg as sck
import sistercity_kg.shacl as fast
from sistercity_kg.shacl import compile_shapes, validate
from sistercity_kg.shacl.classes import closures
from sistercity_kg.shacl.requirements import Requirement, met
from sistercity_kg.validation import validate_graph

EX = "https://example.org/"

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:PartnershipShape a sh:NodeShape ; sh:targetClass ex:Partnership ;
    sh:property [ sh:path ex:partner ; sh:class ex:Actor ; sh:minCount 2 ] ;
    sh:property [ sh:path ex:stage ; sh:maxCount 1 ; sh:in ( ex:signed ex:proposed ) ] ;
    sh:property [ sh:path [ sh:inversePath ex:about ] ; sh:class ex:Report ; sh:maxCount 1 ] ;
    sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:disjoint ex:end ] .
ex:Named a sh:NodeShape ; sh:targetSubjectsOf ex:name ;
    sh:property [ sh:path ex:name ; sh:uniqueLang true ; sh:equals ex:label ] .
ex:Listed a sh:NodeShape ; sh:targetNode ex:nowhere ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""

DATA = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:City rdfs:subClassOf ex:Actor .
ex:p1 a ex:Partnership ; ex:partner ex:a , ex:b .
ex:p2 a ex:Partnership ; ex:partner ex:a , ex:x .
ex:a a ex:Actor . ex:b a ex:City . ex:x a ex:Thing .
"""

#: Triples that each wake up checks the base data gives no reason to run.
ADDITIONS = [
    f"<{EX}p1> <{EX}stage> <{EX}signed> , <{EX}cancelled> .",
    f"<{EX}r1> <{EX}about> <{EX}p1> . <{EX}r2> <{EX}about> <{EX}p1> . <{EX}r1> a <{EX}Report> .",
    f"<{EX}p2> <{EX}start> 5 ; <{EX}end> 3 , 5 .",
    f'<{EX}n> <{EX}name> "A"@en , "B"@en ; <{EX}label> "A"@en .',
    f"<{EX}Thing> <{RDFS.subClassOf}> <{EX}City> .",
    f"<{EX}q> a <{EX}Partnership> .",
]


def _shapes() -> Graph:
    return Graph().parse(data=SHAPES, format="turtle")


def _keys(report) -> set:
    return {(r.focus_node, r.path, r.value, r.constraint, r.severity, r.source_shape) for r in report.results}


def _same_as_pyshacl(data: Graph, shapes: Graph):
    fast_report = validate(data, shapes=shapes, engine="sparql")
    reference = validate_graph(data, shapes=shapes)
    assert fast_report.conforms == reference.conforms
    assert sorted(map(str, _keys(fast_report))) == sorted(map(str, _keys(reference)))
    assert len(fast_report.results) == len(reference.results)
    return fast_report


@pytest.mark.parametrize("extra", range(len(ADDITIONS) + 1))
def test_present_or_absent_triples_same_report_as_pyshacl(extra: int):
    """Each addition switches on checks that were skipped before (class, predicate, inverse path)."""
    data = Graph().parse(data=DATA, format="turtle")
    for text in ADDITIONS[:extra]:
        data.parse(data=text, format="turtle")
    report = _same_as_pyshacl(data, _shapes())
    assert report.engine == "sparql"


def test_subclass_axioms_are_read_from_the_data_of_each_validation():
    kg = sck.KnowledgeGraph()
    kg.load_data(DATA, format="turtle", graph=EX + "data")
    shapes = _shapes()
    x_is_not_an_actor = (URIRef(EX + "p2"), SH.ClassConstraintComponent, URIRef(EX + "x"))
    first = {(r.focus_node, r.constraint, r.value) for r in kg.validate(shapes=shapes).results}
    assert x_is_not_an_actor in first
    # ex:Thing becomes a subclass of ex:City, hence of ex:Actor: ex:x is an actor now
    kg.load_data(f"<{EX}Thing> <{RDFS.subClassOf}> <{EX}City> .", format="turtle", graph=EX + "ontology")
    second = {(r.focus_node, r.constraint, r.value) for r in kg.validate(shapes=shapes).results}
    assert x_is_not_an_actor not in second
    assert _keys(kg.validate(shapes=shapes)) == _keys(kg.validate(shapes=shapes, engine="pyshacl"))


def test_a_blank_node_subclass_keeps_the_path():
    data = Graph().parse(data=DATA + "\n[] rdfs:subClassOf ex:Actor ; rdfs:label \"anonymous\" .\n", format="turtle")
    store = ox.Store()
    for s, p, o in data:
        store.add(ox.Quad(*(sck.terms.to_oxigraph(t) for t in (s, p, o))))
    plan = compile_shapes(_shapes())
    closure = closures(store, plan.classes, union=True)
    actor = plan.classes.terms.index(f"<{EX}Actor>")
    assert closure[actor] is None  # not expressible as constants
    _same_as_pyshacl(data, _shapes())


def test_closure_and_requirements_probe_the_data():
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.TURTLE)
    plan = compile_shapes(_shapes())
    closure = closures(store, plan.classes, union=False)
    actor = plan.classes.terms.index(f"<{EX}Actor>")
    assert sorted(closure[actor]) == [f"<{EX}Actor>", f"<{EX}City>"]
    partnership = plan.classes.terms.index(f"<{EX}Partnership>")
    wanted = [
        Requirement(classes=(partnership,)),
        Requirement(predicates=(f"<{EX}partner>",)),
        Requirement(predicates=(f"<{EX}stage>",)),
        Requirement(predicates=(f"<{EX}stage>", f"<{EX}partner>")),
    ]
    assert met(store, wanted, closure, plan.classes, union=False) == {wanted[0], wanted[1], wanted[3]}


def test_every_check_of_the_bundled_shapes_with_targets_records_what_it_needs():
    plan = compile_shapes(Graph().parse(sck.resources.bundled_path("ontology/shapes.ttl"), format="turtle"))
    class_targeted = [c for c in plan.checks if c.requires and c.requires[0].classes]
    assert len(class_targeted) > 200
    # value-based checks on a plain property path also need their predicate
    class_checks = [c for c in plan.checks if c.pattern.component == SH.ClassConstraintComponent]
    assert class_checks and all(len(c.requires) == 2 for c in class_checks if c.path is not None and isinstance(c.path, URIRef))


def test_threads_give_the_one_thread_report(monkeypatch: pytest.MonkeyPatch):
    kg = sck.load()
    kg.load_data(
        "@prefix sck: <https://w3id.org/sistercity-kg/ontology#> .\n"
        "<https://w3id.org/sistercity-kg/id/partnership/bad> a sck:Partnership ; sck:partner <urn:x> .",
        format="turtle", graph=EX + "bad",
    )
    threaded = kg.validate()
    monkeypatch.setattr(fast, "_MAX_WORKERS", 1)
    single = kg.validate()
    assert not threaded.conforms
    assert threaded.results == single.results
    assert [r.messages for r in threaded.results] == [r.messages for r in single.results]


def test_results_of_one_check_do_not_share_their_messages():
    """The messages of a check are made once, each result gets its own dict."""
    report = sck.load().validate()
    by_shape: dict = {}
    for r in report.results:
        by_shape.setdefault(r.source_shape, []).append(r)
    first, second = next(rs for rs in by_shape.values() if len(rs) >= 2)[:2]
    assert first.messages == second.messages and first.messages is not second.messages
    first.messages["en"] = "changed"
    assert second.messages["en"] != "changed"
