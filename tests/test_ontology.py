"""Checks on the hand-written ontology (ontology/sistercity.ttl) and SKOS schemes (ontology/schemes.ttl).

The Turtle files are the source of truth and docs/model.md is the agreed map of terms; these
tests hold the three together: both parsers read the files the same way, every term is
declared, labelled and defined, every property has a domain and a range, every concept sits in
exactly one scheme, and every term the model page names exists in the Turtle.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from sistercity_kg.namespaces import PREFIXES, SCK, SCKC

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY_TTL = REPO / "ontology" / "sistercity.ttl"
SCHEMES_TTL = REPO / "ontology" / "schemes.ttl"
MODEL_MD = REPO / "docs" / "model.md"

ONTOLOGY_IRI = URIRef("https://w3id.org/sistercity-kg/ontology")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
VANN = "http://purl.org/vocab/vann/"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
ALLOWED_LANGUAGES = {"en", "id", "ko"}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)
CONCEPT_CLASSES = {
    "field": SCK.CooperationField,
    "activity-type": SCK.ActivityType,
    "status": SCK.Status,
    "agreement-stage": SCK.AgreementStage,
    "partnership-type": SCK.PartnershipType,
    "participant-role": SCK.ParticipantRole,
    "analytical-concept": SCK.AnalyticalConcept,
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """The OWL ontology, parsed by rdflib."""
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    """The SKOS concept schemes, parsed by rdflib."""
    return Graph().parse(SCHEMES_TTL, format="turtle")


@pytest.fixture(scope="module")
def both(ontology: Graph, schemes: Graph) -> Graph:
    """Ontology and schemes together, as the loader sees them."""
    return ontology + schemes


# --------------------------------------------------------------------------- helpers


def is_sck(term: object) -> bool:
    """Whether ``term`` is an IRI in the ontology namespace."""
    return isinstance(term, URIRef) and str(term).startswith(PREFIXES["sck"])


def sck_classes(graph: Graph) -> set[URIRef]:
    """The sck: IRIs declared as OWL classes."""
    return {s for s in graph.subjects(RDF.type, OWL.Class) if is_sck(s)}


def sck_properties(graph: Graph) -> set[URIRef]:
    """The sck: IRIs declared as object or datatype properties."""
    return {s for t in PROPERTY_TYPES for s in graph.subjects(RDF.type, t) if is_sck(s)}


def concepts(graph: Graph) -> set[URIRef]:
    """Every IRI typed skos:Concept."""
    return {s for s in graph.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}


def literals_by_language(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str | None, list[Literal]]:
    """Group the literal values of ``subject predicate ?o`` by language tag."""
    grouped: dict[str | None, list[Literal]] = defaultdict(list)
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal):
            grouped[value.language].append(value)
    return grouped


def class_expression_members(graph: Graph, node: object) -> list[object]:
    """The classes (or datatypes) a domain/range names: itself, or the members of its owl:unionOf."""
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        assert union is not None, f"blank domain/range {node} is not an owl:unionOf expression"
        members = list(Collection(graph, union))
        assert len(members) >= 2, f"owl:unionOf with fewer than two members: {members}"
        return members
    return [node]


def model_md_terms() -> tuple[set[str], set[str]]:
    """The backticked ``sck:Xxx`` local names and ``sckc:...`` paths docs/model.md names."""
    text = MODEL_MD.read_text(encoding="utf-8")
    sck_names = set(re.findall(r"`sck:([A-Za-z][A-Za-z0-9]*)`", text))
    sckc_paths = set(re.findall(r"`sckc:([a-z0-9][a-z0-9/-]*)`", text))
    return sck_names, sckc_paths


def model_md_scheme_rows() -> dict[str, list[str]]:
    """The concept-scheme table of docs/model.md: scheme slug -> concept slugs."""
    rows: dict[str, list[str]] = {}
    for line in MODEL_MD.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`sckc:([a-z-]+)`\s*\|\s*([a-z0-9, -]+?)\s*\|\s*$", line)
        if match:
            rows[match.group(1)] = [slug.strip() for slug in match.group(2).split(",")]
    return rows


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", [ONTOLOGY_TTL, SCHEMES_TTL], ids=lambda p: p.name)
def test_rdflib_and_pyoxigraph_read_the_same_number_of_triples(path: Path) -> None:
    rdflib_count = len(Graph().parse(path, format="turtle"))
    oxigraph_count = sum(1 for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert rdflib_count > 0
    assert rdflib_count == oxigraph_count


def test_disjointness_is_visible_to_pyoxigraph_sparql() -> None:
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY_TTL), format=pyoxigraph.RdfFormat.TURTLE)
    query = f"""
        PREFIX owl: <{OWL}>
        PREFIX sck: <{PREFIXES['sck']}>
        ASK {{ {{ sck:SubStateActor owl:disjointWith sck:Jurisdiction }}
               UNION {{ sck:Jurisdiction owl:disjointWith sck:SubStateActor }} }}
    """
    assert bool(store.query(query))


# --------------------------------------------------------------------------- header


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/0.1.0")
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == CC_BY_4
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespacePrefix"))) == "sck"
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespaceUri"))) == PREFIXES["sck"]
    assert {"en", "id"} <= set(literals_by_language(ontology, ONTOLOGY_IRI, DCTERMS.title))
    assert {"en", "id"} <= set(literals_by_language(ontology, ONTOLOGY_IRI, DCTERMS.description))
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.created) is not None


# --------------------------------------------------------------------------- declarations


def test_every_sck_term_used_is_declared(both: Graph) -> None:
    declared = sck_classes(both) | sck_properties(both)
    used = {term for triple in both for term in triple if is_sck(term)}
    assert used - declared == set()


def test_no_sck_term_is_both_class_and_property(ontology: Graph) -> None:
    assert sck_classes(ontology) & sck_properties(ontology) == set()
    for prop in sck_properties(ontology):
        kinds = [t for t in PROPERTY_TYPES if (prop, RDF.type, t) in ontology]
        assert len(kinds) == 1, f"{prop} must be exactly one of object / datatype property, is {kinds}"


def test_every_sck_term_is_labelled_and_defined(ontology: Graph) -> None:
    problems: list[str] = []
    for term in sorted(sck_classes(ontology) | sck_properties(ontology)):
        labels = literals_by_language(ontology, term, RDFS.label)
        definitions = literals_by_language(ontology, term, SKOS.definition)
        for lang in ("en", "id"):
            if lang not in labels:
                problems.append(f"{term}: no rdfs:label @{lang}")
        if "en" not in definitions:
            problems.append(f"{term}: no skos:definition @en")
        for lang, values in labels.items():
            if len(values) > 1:
                problems.append(f"{term}: {len(values)} rdfs:label @{lang}")
        for lang in set(labels) | set(definitions):
            if lang not in ALLOWED_LANGUAGES:
                problems.append(f"{term}: language tag {lang!r} not in {sorted(ALLOWED_LANGUAGES)}")
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append(f"{term}: rdfs:isDefinedBy is not {ONTOLOGY_IRI}")
    assert problems == []


def test_external_terms_are_declared_but_not_labelled(ontology: Graph) -> None:
    """Terms we reuse (ORG, PROV, schema.org, ...) are typed for OWL 2 DL, never relabelled."""
    external = {
        s
        for t in (OWL.Class, *PROPERTY_TYPES)
        for s in ontology.subjects(RDF.type, t)
        if isinstance(s, URIRef) and not is_sck(s)
    }
    assert external, "no external superclass or superproperty is declared"
    assert {s for s in external if (s, RDFS.label, None) in ontology} == set()
    for sub, sup in (*ontology.subject_objects(RDFS.subClassOf), *ontology.subject_objects(RDFS.subPropertyOf)):
        if is_sck(sub) and not is_sck(sup):
            assert sup in external, f"{sub} extends {sup}, which is not declared"


# --------------------------------------------------------------------------- domains and ranges


def test_every_property_has_a_domain_and_a_range_of_declared_classes(ontology: Graph) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    problems: list[str] = []
    for prop in sorted(sck_properties(ontology)):
        domains = list(ontology.objects(prop, RDFS.domain))
        ranges = list(ontology.objects(prop, RDFS.range))
        if len(domains) != 1 or len(ranges) != 1:
            problems.append(f"{prop}: {len(domains)} domains, {len(ranges)} ranges (want one each)")
            continue
        for member in class_expression_members(ontology, domains[0]):
            if member not in classes:
                problems.append(f"{prop}: domain member {member} is not a declared class")
        is_datatype_property = (prop, RDF.type, OWL.DatatypeProperty) in ontology
        for member in class_expression_members(ontology, ranges[0]):
            if is_datatype_property:
                if not str(member).startswith((XSD_NS, str(RDF))):
                    problems.append(f"{prop}: datatype range {member} is not an XSD/RDF datatype")
            elif member not in classes:
                problems.append(f"{prop}: range member {member} is not a declared class")
    assert problems == []


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        (SCK.governs, SCK.SubStateActor, SCK.Jurisdiction),
        (SCK.field, SCK.CooperationActivity, SCK.CooperationField),
        (SCK.status, SCK.CooperationActivity, SCK.Status),
        (SCK.role, SCK.Participation, SCK.ParticipantRole),
        (SCK.legalBasis, SCK.Agreement, SCK.LegalInstrument),
        (SCK.locatedIn, SCK.Programme, SCK.Place),
        (SCK.quote, SCK.Passage, RDF.langString),
    ],
)
def test_domain_and_range_cover_the_agreed_use(
    ontology: Graph, prop: URIRef, domain: URIRef, range_: URIRef
) -> None:
    assert domain in class_expression_members(ontology, ontology.value(prop, RDFS.domain))
    assert range_ in class_expression_members(ontology, ontology.value(prop, RDFS.range))


# --------------------------------------------------------------------------- key axioms


def test_actor_and_territory_are_disjoint(ontology: Graph) -> None:
    assert (SCK.SubStateActor, OWL.disjointWith, SCK.Jurisdiction) in ontology or (
        SCK.Jurisdiction,
        OWL.disjointWith,
        SCK.SubStateActor,
    ) in ontology
    # A government kind must not slip under the territory side either.
    for kind in ontology.subjects(RDFS.subClassOf, SCK.SubStateActor):
        assert (kind, RDFS.subClassOf, SCK.Jurisdiction) not in ontology


def test_inverse_and_symmetric_properties(ontology: Graph) -> None:
    assert (SCK.governs, OWL.inverseOf, SCK.governedBy) in ontology
    assert ontology.value(SCK.governs, RDFS.domain) == ontology.value(SCK.governedBy, RDFS.range)
    assert ontology.value(SCK.governs, RDFS.range) == ontology.value(SCK.governedBy, RDFS.domain)
    assert (SCK.mirrors, RDF.type, OWL.SymmetricProperty) in ontology
    assert ontology.value(SCK.mirrors, RDFS.domain) == ontology.value(SCK.mirrors, RDFS.range)


# --------------------------------------------------------------------------- concept schemes


def test_every_concept_is_in_exactly_one_scheme_with_labels(schemes: Graph) -> None:
    problems: list[str] = []
    all_concepts = concepts(schemes)
    assert all_concepts, "no skos:Concept in schemes.ttl"
    for concept in sorted(all_concepts):
        in_schemes = set(schemes.objects(concept, SKOS.inScheme))
        if len(in_schemes) != 1:
            problems.append(f"{concept}: in {len(in_schemes)} schemes")
            continue
        (scheme,) = in_schemes
        if (scheme, RDF.type, SKOS.ConceptScheme) not in schemes:
            problems.append(f"{concept}: scheme {scheme} is not a skos:ConceptScheme")
        if not str(concept).startswith(f"{scheme}/"):
            problems.append(f"{concept}: IRI is not under its scheme {scheme}")
        pref = literals_by_language(schemes, concept, SKOS.prefLabel)
        label = literals_by_language(schemes, concept, RDFS.label)
        for lang in ("en", "id"):
            if lang not in pref:
                problems.append(f"{concept}: no skos:prefLabel @{lang}")
        for lang, values in pref.items():
            if len(values) > 1:
                problems.append(f"{concept}: {len(values)} skos:prefLabel @{lang}")
            if lang not in ALLOWED_LANGUAGES:
                problems.append(f"{concept}: language tag {lang!r}")
        if {k: sorted(v) for k, v in pref.items()} != {k: sorted(v) for k, v in label.items()}:
            problems.append(f"{concept}: rdfs:label differs from skos:prefLabel")
        if "en" not in literals_by_language(schemes, concept, SKOS.definition):
            problems.append(f"{concept}: no skos:definition @en")
        if (concept, SKOS.topConceptOf, scheme) in schemes and (scheme, SKOS.hasTopConcept, concept) not in schemes:
            problems.append(f"{concept}: topConceptOf without the matching hasTopConcept")
        if (scheme, SKOS.hasTopConcept, concept) in schemes and (concept, SKOS.topConceptOf, scheme) not in schemes:
            problems.append(f"{concept}: hasTopConcept without the matching topConceptOf")
    assert problems == []


def test_every_scheme_is_labelled_and_defined(schemes: Graph) -> None:
    scheme_iris = set(schemes.subjects(RDF.type, SKOS.ConceptScheme))
    assert {URIRef(SCKC + slug) for slug in CONCEPT_CLASSES} == scheme_iris
    for scheme in scheme_iris:
        assert {"en", "id"} <= set(literals_by_language(schemes, scheme, SKOS.prefLabel)), scheme
        assert "en" in literals_by_language(schemes, scheme, SKOS.definition), scheme
        assert (scheme, SKOS.hasTopConcept, None) in schemes, f"{scheme} has no top concept"


def test_concepts_are_typed_with_their_scheme_class(both: Graph) -> None:
    for slug, concept_class in CONCEPT_CLASSES.items():
        assert (concept_class, RDFS.subClassOf, SKOS.Concept) in both
        members = set(both.subjects(SKOS.inScheme, URIRef(SCKC + slug)))
        typed = set(both.subjects(RDF.type, concept_class))
        assert members, f"scheme {slug} is empty"
        assert members == typed, f"{slug}: in scheme but untyped {members - typed}, typed but elsewhere {typed - members}"


def test_status_scheme_has_the_agreed_labels(schemes: Graph) -> None:
    intended = URIRef(SCKC + "status/intended")
    pref = literals_by_language(schemes, intended, SKOS.prefLabel)
    assert [str(v) for v in pref["en"]] == ["intended"]
    assert [str(v) for v in pref["id"]] == ["diupayakan"]


# --------------------------------------------------------------------------- docs/model.md


def test_every_term_of_model_md_exists_in_the_turtle(both: Graph) -> None:
    sck_names, sckc_paths = model_md_terms()
    assert len(sck_names) > 40 and len(sckc_paths) >= 7, "docs/model.md tables were not found"
    declared = sck_classes(both) | sck_properties(both)
    assert {name for name in sck_names if SCK[name] not in declared} == set()
    subjects = set(both.subjects())
    assert {path for path in sckc_paths if URIRef(SCKC + path) not in subjects} == set()


def test_model_md_concept_table_matches_the_schemes(schemes: Graph) -> None:
    rows = model_md_scheme_rows()
    assert set(rows) == set(CONCEPT_CLASSES), "docs/model.md concept-scheme table changed shape"
    for scheme_slug, concept_slugs in rows.items():
        in_turtle = {str(c) for c in schemes.subjects(SKOS.inScheme, URIRef(SCKC + scheme_slug))}
        in_table = {f"{SCKC}{scheme_slug}/{slug}" for slug in concept_slugs}
        assert in_turtle == in_table, scheme_slug


def test_model_md_names_every_declared_term(ontology: Graph) -> None:
    """The map must stay complete: a term added to the Turtle is added to docs/model.md too."""
    sck_names, _ = model_md_terms()
    declared = {str(t).removeprefix(PREFIXES["sck"]) for t in sck_classes(ontology) | sck_properties(ontology)}
    assert declared - sck_names == set()


def test_labels_are_unique_within_a_scheme(schemes: Graph) -> None:
    for scheme in schemes.subjects(RDF.type, SKOS.ConceptScheme):
        counts = Counter(
            (label.language, str(label))
            for concept in schemes.subjects(SKOS.inScheme, scheme)
            for label in schemes.objects(concept, SKOS.prefLabel)
        )
        assert [key for key, n in counts.items() if n > 1] == [], scheme
