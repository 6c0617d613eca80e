"""The second data layer (data/bandung-seoul-sources.trig), time, and questions restricted to sources.

* Each source document has a named graph of its own; every claim-bearing node of every graph of
  every layer is derived from a passage of the right document (provenance everywhere).
* No quote is invented: the sources layer gives reported claims, never sck:quote.
* Conflicting claims are both kept, each with its source; the thesis layer is untouched.
* "Status as of a date" answers from dated status changes (the issue's done criterion).
* ``sources=`` restricts any question to chosen sources; :func:`restrict_query` gives the same
  restriction as SPARQL text with FROM / FROM NAMED.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import PROV

import sistercity_kg as sck
from sistercity_kg import KnowledgeGraph, LoadError, ParameterError, QueryError
from sistercity_kg.namespaces import SCK, SCKC, SCKG, SCKID
from sistercity_kg.resources import bundled_path
from sistercity_kg.sources import graph_sources, restrict_query, source_documents, source_graphs
from sistercity_kg.timeline import date_bounds, status_as_of, timeline

SOURCE_GRAPH = "https://w3id.org/sistercity-kg/graph/source-"
LITTLE_KOREA = SCKID["activity/little-korea-in-bandung"]
KAMPUNG_KOREA = SCKID["activity/kampung-korea-in-bandung"]
CIKAPUNDUNG = SCKID["activity/cikapundung-restoration-with-seoul"]
BISNIS = SCKID["source/bisnis-2021-11-18"]
THESIS = SCKID["source/bandung-seoul-thesis-chapter-5"]
CLAIM_CLASSES = [
    SCK.SubStateActor, SCK.Jurisdiction, SCK.Country, SCK.Place, SCK.Partnership, SCK.Agreement,
    SCK.LegalInstrument, SCK.CooperationActivity, SCK.Programme, SCK.Interest, SCK.Policy,
    SCK.Assessment, SCK.Recommendation, URIRef("http://xmlns.com/foaf/0.1/Person"),
    URIRef("http://www.w3.org/ns/org#Post"), SCK.StatusChange, SCK.Identification,
    URIRef("http://www.w3.org/ns/org#Membership"), URIRef("https://schema.org/MonetaryAmount"),
]


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    """Both layers (what sck.load() gives). Tests must not modify it."""
    return sck.load()


def local(term: object) -> str:
    return str(term).rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- layers


def test_load_chooses_layers() -> None:
    both = {str(g) for g in sck.load().graph_names()}
    thesis = {str(g) for g in sck.load(layers=["bandung-seoul"]).graph_names()}
    sources = {str(g) for g in sck.load(layers="bandung-seoul-sources").graph_names()}
    assert str(SCKG["bandung-seoul"]) in thesis and not any(g.startswith(SOURCE_GRAPH) for g in thesis)
    assert str(SCKG["bandung-seoul"]) not in sources and sum(g.startswith(SOURCE_GRAPH) for g in sources) == 10
    assert both == thesis | sources
    with pytest.raises(LoadError, match="bandung-seoul-sources"):
        sck.load(layers=["no-such-layer"])


def test_trig_graphs_are_kept_and_the_default_graph_is_the_files_graph() -> None:
    kg = KnowledgeGraph()
    kg.load_file(bundled_path("data/bandung-seoul-sources.trig"))
    catalogue = list(kg.store.quads(ox.NamedNode(str(SCKG["bandung-seoul-sources"]))))
    assert catalogue and all(q.predicate.value == str(PROV.wasDerivedFrom) for q in catalogue)
    assert ox.NamedNode(SOURCE_GRAPH + "bisnis-2021-11-18") in kg.store.named_graphs()


def test_both_layers_together_conform(kg: KnowledgeGraph) -> None:
    report = kg.validate()
    assert report.conforms, [v.message for v in report.violations]
    warned = {(str(w.source_shape).rsplit("#", 1)[-1], local(w.focus_node)) for w in report.warnings}
    # the letter of intent's signing day is not reported: advice, not an error
    assert ("AgreementWithoutSigningDate", "bandung-seoul-letter-of-intent-2015") in warned
    # Kompasiana dates the start of relations (2015), so the partnership is no longer undated
    assert ("PartnershipWithoutStartDate", "bandung-seoul-sister-city") not in warned


def test_every_source_is_described(kg: KnowledgeGraph) -> None:
    docs = {d.slug: d for d in source_documents(kg)}
    assert len(docs) == 11
    for slug, doc in docs.items():
        assert doc.title and doc.language in {"id", "en"}, slug
        if slug != "bandung-seoul-thesis-chapter-5":
            assert doc.publisher and doc.url and doc.url.startswith("https://"), slug
            assert doc.kind in {"news", "official", "encyclopedia", "blog"}, slug
    assert docs["wikipedia-ridwan-kamil"].kind == "encyclopedia"
    assert docs["bisnis-2021-11-18"].date == "2021-11-18"


# --------------------------------------------------------------------------- provenance


def test_every_claim_of_every_layer_cites_a_passage_of_its_own_graphs_source(kg: KnowledgeGraph) -> None:
    """In each named graph, each claim-bearing node is derived (in that graph) from a passage
    whose document is one the graph rests on: the graph and the passage name the same source."""
    ds = kg.to_dataset()
    union = kg.to_rdflib()
    claim_classes = {c for cls in CLAIM_CLASSES for c in _with_subclasses(kg, cls)}
    checked = 0
    for name, docs in graph_sources(kg).items():
        graph = ds.graph(name)
        for node in {s for s, c in graph.subject_objects(RDF.type) if c in claim_classes}:
            passages = set(graph.objects(node, PROV.wasDerivedFrom))
            assert passages, f"{node} has no provenance in {name}"
            for p in passages:
                assert union.value(p, SCK.inDocument) in docs, f"{node} in {name} cites {p}"
                assert (p, SCK.quote, None) in union or (p, SCK.reportedClaim, None) in union, p
            checked += 1
    assert checked > 60


def _with_subclasses(kg: KnowledgeGraph, cls: URIRef) -> list[URIRef]:
    rows = kg.sparql(f"SELECT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}").rows
    return [r["c"] for r in rows] + [cls]


def test_the_provenance_check_finds_nothing_missing(kg: KnowledgeGraph) -> None:
    assert kg.query("claim-without-provenance-violation").rows == ()


def test_no_quote_is_invented_in_the_sources_layer() -> None:
    kg = KnowledgeGraph()
    kg.load_file(bundled_path("data/bandung-seoul-sources.trig"))
    data = kg.to_rdflib()
    assert not list(data.triples((None, SCK.quote, None)))
    claims = list(data.triples((None, SCK.reportedClaim, None)))
    assert len(claims) >= 10 and all(isinstance(o, Literal) and o.language == "en" for _, _, o in claims)


def test_the_thesis_layer_is_untouched_and_its_status_coexists(kg: KnowledgeGraph) -> None:
    thesis = kg.to_dataset().graph(SCKG["bandung-seoul"])
    assert (LITTLE_KOREA, SCK.status, URIRef(SCKC + "status/under-construction")) in thesis
    statuses = set(kg.to_dataset().graph(SOURCE_GRAPH + "bisnis-2021-11-18").objects(None, SCK.status))
    assert URIRef(SCKC + "status/opened") in statuses


# --------------------------------------------------------------------------- conflicting claims


def test_conflicting_cikapundung_claims_are_both_kept_each_with_its_source(kg: KnowledgeGraph) -> None:
    ds = kg.to_dataset()

    def located(graph: str) -> set[str]:
        return {local(o) for o in ds.graph(URIRef(SOURCE_GRAPH + graph)).objects(CIKAPUNDUNG, SCK.locatedIn)}

    def amounts(graph: str) -> set[int]:
        g = ds.graph(URIRef(SOURCE_GRAPH + graph))
        return {int(g.value(b, URIRef("https://schema.org/value")).toPython()) for b in g.objects(CIKAPUNDUNG, SCK.budget)}

    assert located("balebandung-cikapundung") == located("jabarekspres-2016-12-02") == {"pasirluyu"}
    assert located("ayobandung-cikapundung") == {"kecamatan-grogol"}
    assert amounts("ayobandung-cikapundung") == {50_000_000_000}
    assert amounts("detik-cikapundung") == {25_000_000_000, 5_000_000_000}
    # nothing merged: no single graph holds both places or both budgets
    for graph in ds.graphs():
        places = {local(o) for o in graph.objects(CIKAPUNDUNG, SCK.locatedIn)}
        assert not {"pasirluyu", "kecamatan-grogol"} <= places


def test_disagreements_query_names_the_place_and_the_budget_with_sources(kg: KnowledgeGraph) -> None:
    rows = kg.query("cq-source-disagreements").rows
    pairs = {(local(r["property"]).split("#")[-1], local(r["value1"]), local(r["source1"]),
              local(r["value2"]), local(r["source2"])) for r in rows}
    assert ("locatedIn", "kecamatan-grogol", "ayobandung-cikapundung", "pasirluyu", "balebandung-cikapundung") in pairs
    assert ("budget", "cikapundung-ayobandung-rp-50-billion", "ayobandung-cikapundung",
            "cikapundung-detik-rp-25-billion-city", "detik-cikapundung") in pairs
    assert {r["subject"] for r in rows} == {CIKAPUNDUNG}
    # a more precise place is not a disagreement (Little Bandung: Seoul vs a café in Seoul)
    assert not kg.query("cq-source-disagreements", bindings={"subject": SCKID["activity/little-bandung-in-seoul"]}).rows


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("day", "status", "since"),
    [("2018-01-01", "under-construction", "2017"), ("2020-01-01", "opened", "2019-08-17"),
     ("2021-01-01", "suspended", "2020-03"), ("2022-01-01", "opened", "2021-11")],
)
def test_status_of_little_korea_as_of_a_date(kg: KnowledgeGraph, day: str, status: str, since: str) -> None:
    """The issue's done criterion: asked about the thesis's Little Korea, the answer comes from
    the dated reports on Kampung Korea (through the identification), each with its source."""
    answer = status_as_of(kg, day, activity=LITTLE_KOREA)
    assert [(local(a.status), a.since, a.source, a.about) for a in answer] == [(status, since, BISNIS, KAMPUNG_KOREA)]
    assert answer[0].via == SCKID["identification/little-korea-is-kampung-korea"]


def test_a_change_dated_to_a_month_counts_only_once_the_month_is_over(kg: KnowledgeGraph) -> None:
    assert [local(a.status) for a in status_as_of(kg, "2020-03-15", activity=KAMPUNG_KOREA)] == ["opened"]
    assert [local(a.status) for a in status_as_of(kg, dt.date(2020, 4, 1), activity=KAMPUNG_KOREA)] == ["suspended"]
    assert status_as_of(kg, "2016-01-01", activity=KAMPUNG_KOREA) == []


def test_timeline_is_in_order_with_the_lifecycle_and_sources(kg: KnowledgeGraph) -> None:
    events = timeline(kg)
    starts = [date_bounds(e.date)[0] for e in events]
    assert starts == sorted(starts)
    steps = [(e.date, local(e.what) if e.what is not None else None) for e in events]
    assert ("2015", "letter-of-intent") in steps
    assert ("2016-12-01", "implementation-arrangement") in steps
    assert ("2019-08-17", "opened") in steps
    agreement = next(e for e in events if e.kind == "agreement")
    assert {local(s) for s in agreement.sources} == {"balebandung-cikapundung", "jabarekspres-2016-12-02"}
    assert {e.kind for e in events} >= {"term-begins", "term-ends"}


# --------------------------------------------------------------------------- sources=


def test_a_question_restricted_to_one_source_sees_only_that_source(kg: KnowledgeGraph) -> None:
    bisnis = {local(a) for a in kg.query("cq-activities-by-status", sources=["bisnis-2021-11-18"]).values("activity")}
    thesis = {local(a) for a in kg.query("cq-activities-by-status", sources=["sckid:source/bandung-seoul-thesis-chapter-5"]).values("activity")}
    everything = {local(a) for a in kg.query("cq-activities-by-status").values("activity")}
    assert bisnis == {"kampung-korea-in-bandung"}
    assert thesis == {"cikapundung-cikapayang-river-restoration", "little-bandung-in-seoul", "little-korea-in-bandung",
                      "cultural-festival-participation", "staff-exchange"}
    assert bisnis | thesis < everything
    # the thesis alone has no dated status, so nothing can be said "as of" a date
    assert len(kg.query("cq-status-as-of", sources=[THESIS])) == 0


def test_the_identification_comes_in_only_with_all_its_sources(kg: KnowledgeGraph) -> None:
    two = source_graphs(kg, ["bisnis-2021-11-18", "bandung-seoul-thesis-chapter-5"])
    three = source_graphs(kg, ["bisnis-2021-11-18", "bandung-seoul-thesis-chapter-5", "pikiran-rakyat-2019-08-20"])
    assert SCKG["bandung-seoul-identifications"] not in two
    assert SCKG["bandung-seoul-identifications"] in three
    assert two[:2] == [SCKG.ontology, SCKG.schemes]


def test_an_unknown_source_is_a_parameter_error(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="not a source document.*bisnis-2021-11-18"):
        kg.query("cq-partners", sources=["no-such-paper"])


def test_restrict_query_adds_a_dataset_that_other_engines_honour(kg: KnowledgeGraph) -> None:
    graphs = source_graphs(kg, ["ayobandung-cikapundung"])
    text = restrict_query(
        "PREFIX sck: <https://w3id.org/sistercity-kg/ontology#>\n"
        "SELECT ?place WHERE { ?a sck:locatedIn ?place . GRAPH ?g { ?a sck:budget ?b } }", graphs)
    assert text.count("FROM NAMED") == len(graphs)
    store = ox.Store()
    store.extend(kg.store.quads())
    # without the union default graph, FROM decides what the query sees
    places = {local(s["place"].value) for s in store.query(text)}
    assert places == {"kecamatan-grogol"}
    with pytest.raises(QueryError, match="already has a FROM"):
        restrict_query("SELECT * FROM <https://example.org/g> WHERE { ?s ?p ?o }", graphs)
    constructed = restrict_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["https://example.org/g"])
    assert constructed.index("FROM") > constructed.index("}")
