"""Every claim of the thesis chapter (BAB V) is in the bundled data, with its evidence.

One test per part of the chapter: the opening paragraph, the paragraph introducing the
interests, points 1-3 and the closing paragraph. Each test asks, in SPARQL over the loaded
knowledge graph, that the claims of that part are present *and* that the node bearing them is
``prov:wasDerivedFrom`` a passage whose ``sck:locator`` names that part and whose ``sck:quote``
contains a distinctive Indonesian phrase of it. When the source text is available (in the
development checkout and in CI, in ``../shared`` beside the checkout), the phrases and quotes are also checked against
the right part of the source itself.

The last tests guard faithfulness: no blank nodes, and no signing date, term, start date,
agreement or authorship that the chapter does not state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from rdf_helpers import SHARED
from rdflib import BNode, Graph, Literal, URIRef

import sistercity_kg
from sistercity_kg import KnowledgeGraph
from sistercity_kg.namespaces import SCKC, SCKG, SCKID, sparql_prefixes
from sistercity_kg.resources import bundled_path

#: The Indonesian source text (kept outside the repository; absent in an installed wheel).
SOURCE_FILE = SHARED / "seed" / "bandung-seoul-conclusion.id.txt"

DATA_FILE = "data/bandung-seoul.ttl"
DATA_GRAPH = SCKG["bandung-seoul"]
SOURCE_DOC = SCKID["source/bandung-seoul-thesis-chapter-5"]

BANDUNG = SCKID["actor/bandung-city-government"]
SEOUL = SCKID["actor/seoul-metropolitan-government"]
PARTNERSHIP = SCKID["partnership/bandung-seoul-sister-city"]

PREFIXES = sparql_prefixes()


@dataclass(frozen=True)
class Evidence:
    """Where a claim is in the chapter: the part's locator and a phrase quoted from it."""

    locator: str
    phrase: str


#: The evidence each test requires, by claim. The phrases are checked against the source.
EVIDENCE: dict[str, Evidence] = {
    "actors": Evidence("BAB V, paragraph 1", "melakukan kerjasama Sister City dengan Pemerintah Metropolitan Seoul"),
    "concepts": Evidence("BAB V, paragraph 1", "memakai konsep Paradiplomasi dan konsep Sister City"),
    "sub-state": Evidence("BAB V, paragraph 1", "Seoul sebagai aktor sub-state lainnya"),
    "time-bound": Evidence("BAB V, paragraph 1", "kerjasama yang terarah dan berjangka waktu"),
    "legal-basis": Evidence("BAB V, paragraph 1", "sesuai dengan aturan Permendagri Nomor 1 tahun 1992"),
    "seoul-named": Evidence("BAB V, paragraph 2", "dengan Pemerintah Kota MetropolitanSeoul"),
    "interests": Evidence("BAB V, paragraph 2", "beberapa kepentingan (alasan) Pemerintah Kota Bandung"),
    "several-fields": Evidence("BAB V, paragraph 2", "namun menyasar pada berbagai bidang"),
    "urban-governance": Evidence("BAB V, point 1", "Kerjasama dalam bidang tata kelola perkotaan"),
    "emulation": Evidence("BAB V, point 1", "mencontoh program restorasi Sungai Chong Gye Cheon di Seoul"),
    "rivers": Evidence("BAB V, point 1", "diterapkan di Sungai Cikapundung dan Sungai Cikapayang"),
    "assistance": Evidence("BAB V, point 1", "dengan pendampingan Pemerintah Kota Seoul"),
    "culture": Evidence("BAB V, point 2", "Kerjasama dalam bidang kebudayaan"),
    "little-bandung": Evidence("BAB V, point 2", "membangun dua Little Bandung di Seoul untuk mengenalkan budaya pasundan"),
    "little-korea": Evidence("BAB V, point 2", "dalam proses pembangunan Little Korea di Bandung"),
    "festivals": Evidence("BAB V, point 2", "berupaya untuk saling berpartisipasi dalam festival kebudayaan"),
    "knowledge-exchange": Evidence("BAB V, point 3", "saling bertukar ilmu dan informasi"),
    "staff-exchange": Evidence("BAB V, point 3", "kegiatan Staff Exchange antar kedua pemerintah Kota"),
    "both-governments": Evidence(
        "BAB V, paragraph 3", "dilakukan oleh Pemerintah Kota Bandung dan Pemerintah Metropolitan Seoul"
    ),
    "one-year": Evidence("BAB V, paragraph 3", "berjalan sekitar satu tahun kebelakang"),
    "no-obstacle": Evidence("BAB V, paragraph 3", "belum menemukan hambatan yang cukup berarti"),
    "mission": Evidence("BAB V, paragraph 3", "infrastruktur kota yang berbasi Smart City"),
    "mayor": Evidence("BAB V, paragraph 3", "Walikota Bandung Ridwan Kamil"),
    "coordination": Evidence("BAB V, paragraph 3", "koordinasi internal masing-masing Pemerintah Kota"),
    "understanding": Evidence("BAB V, paragraph 3", "meningkatkan saling pengertian antar keduanya"),
}

#: The parts of BAB V in order, each with the words that open it in the source text.
PART_OPENINGS: tuple[tuple[str, str], ...] = (
    ("BAB V, paragraph 1", "Pemerintah Kota Bandung dalam penelitian ini"),
    ("BAB V, paragraph 2", "Adanya kepentingan tersebut"),
    ("BAB V, point 1", "1. Kerjasama dalam bidang tata kelola"),
    ("BAB V, point 2", "2. Kerjasama dalam bidang kebudayaan"),
    ("BAB V, point 3", "3. Adanya aktivitas"),
    ("BAB V, paragraph 3", "Kerjasama antar kota"),
)


# -- helpers ---------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Join the PDF line breaks: every run of whitespace becomes one space."""
    return " ".join(text.split())


def source_parts() -> dict[str, str] | None:
    """The source text split into its parts by locator, or None when the source is absent.

    Raises
    ------
    AssertionError
        If a part's opening words are not found in order (the source is not the expected one).
    """
    if not SOURCE_FILE.is_file():
        return None
    text = normalise(SOURCE_FILE.read_text(encoding="utf-8"))
    starts: list[int] = []
    for locator, opening in PART_OPENINGS:
        index = text.find(opening, starts[-1] if starts else 0)
        assert index >= 0, f"{SOURCE_FILE}: the opening of {locator} ({opening!r}) was not found."
        starts.append(index)
    ends = starts[1:] + [len(text)]
    return {locator: text[a:b] for (locator, _), a, b in zip(PART_OPENINGS, starts, ends)}


def values(bindings: dict[str, URIRef | Literal]) -> str:
    """The bindings as a SPARQL ``VALUES`` clause (terms written by rdflib, so escaped).

    Inline data rather than engine substitutions: Oxigraph substitutes only variables of the
    projection, and these tests bind variables used in patterns and filters alike.
    """
    if not bindings:
        return ""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}\n"


def ask(kg: KnowledgeGraph, where: str, **bindings: URIRef | Literal) -> bool:
    """Run ``ASK { <where> }`` over the union of the loaded graphs, with ``bindings`` fixed."""
    result = kg.query(f"{PREFIXES}ASK {{ {values(bindings)}{where} }}")
    assert result.boolean is not None
    return result.boolean


def select(kg: KnowledgeGraph, query: str, **bindings: URIRef | Literal) -> list[dict[str, object]]:
    """Run a SELECT query (prefixes added; ``bindings`` fixed at the start of its WHERE block)."""
    head, brace, body = query.partition("WHERE {")
    assert brace, "The SELECT query needs a 'WHERE {' block."
    return list(kg.query(f"{PREFIXES}{head}WHERE {{ {values(bindings)}{body}"))


def assert_derived_from(kg: KnowledgeGraph, node: URIRef, claim: str) -> None:
    """Assert that ``node`` is derived from the passage that carries the evidence of ``claim``.

    The passage must be in the thesis chapter, have the claim's locator and quote its phrase
    (in Indonesian); when the source is available the phrase must also be in that part of it.
    """
    evidence = EVIDENCE[claim]
    found = ask(
        kg,
        """
        ?node prov:wasDerivedFrom ?passage .
        ?passage a sck:Passage ;
            sck:inDocument ?doc ;
            sck:locator ?locator ;
            sck:quote ?quote .
        FILTER(STR(?locator) = STR(?wantedLocator))
        FILTER(LANG(?quote) = "id" && CONTAINS(STR(?quote), STR(?phrase)))
        """,
        node=node,
        doc=SOURCE_DOC,
        wantedLocator=Literal(evidence.locator),
        phrase=Literal(evidence.phrase),
    )
    assert found, (
        f"{node} is not derived from a passage of {SOURCE_DOC} located at {evidence.locator!r} "
        f"that quotes {evidence.phrase!r}."
    )
    parts = source_parts()
    if parts is not None:
        assert evidence.phrase in parts[evidence.locator], (
            f"The phrase {evidence.phrase!r} is not in {evidence.locator} of {SOURCE_FILE}."
        )


def assert_claims(kg: KnowledgeGraph, where: str, message: str, **bindings: URIRef | Literal) -> None:
    """Assert that the graph pattern ``where`` matches the loaded graph."""
    assert ask(kg, where, **bindings), message


def data_graph_file() -> Graph:
    """The bundled data file parsed with rdflib (an independent parser from the store's)."""
    return Graph().parse(bundled_path(DATA_FILE), format="turtle")


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    """The thesis layer as the library loads it: ontology, schemes and data/bandung-seoul.ttl."""
    return sistercity_kg.load(layers=["bandung-seoul"])


# -- opening paragraph ------------------------------------------------------------------


def test_paragraph_1_actors_cooperate_in_a_sister_city_partnership(kg: KnowledgeGraph) -> None:
    assert_claims(
        kg,
        """
        ?p a sck:Partnership ;
            sck:partner ?bandung , ?seoul ;
            sck:partnershipType sckc:partnership-type\\/sister-city .
        ?bandung a sck:CityGovernment ;
            rdfs:label "Pemerintah Kota Bandung"@id ;
            sck:governs ?bandungCity .
        ?seoul a sck:MetropolitanGovernment ;
            rdfs:label "Pemerintah Metropolitan Seoul"@id ;
            sck:governs ?seoulCity .
        ?bandungCity a sck:Jurisdiction ; sck:governedBy ?bandung ; skos:exactMatch wd:Q10389 ;
            rdfs:label "반둥"@ko .
        ?seoulCity a sck:Jurisdiction ; sck:governedBy ?seoul ; skos:exactMatch wd:Q8684 ;
            rdfs:label "서울특별시"@ko .
        # The countries identify the cities; the chapter itself does not name them.
        ?bandung sck:country ?indonesia . ?bandungCity sck:country ?indonesia .
        ?seoul sck:country ?korea . ?seoulCity sck:country ?korea .
        ?indonesia a sck:Country ; skos:exactMatch wd:Q252 .
        ?korea a sck:Country ; skos:exactMatch wd:Q884 .
        """,
        "The Sister City partnership between the two governments (and the cities they govern) is missing.",
        p=PARTNERSHIP,
        bandung=BANDUNG,
        seoul=SEOUL,
    )
    for node in (PARTNERSHIP, BANDUNG, SEOUL, SCKID["jurisdiction/bandung"], SCKID["jurisdiction/seoul"]):
        assert_derived_from(kg, node, "actors")


def test_paragraph_1_uses_the_concepts_paradiplomacy_and_sister_city(kg: KnowledgeGraph) -> None:
    concepts = {
        row["concept"]
        for row in select(kg, "SELECT ?concept WHERE { ?doc a sck:SourceDocument ; sck:usesConcept ?concept }", doc=SOURCE_DOC)
    }
    assert concepts == {SCKC["analytical-concept/paradiplomacy"], SCKC["analytical-concept/sister-city"]}
    assert_claims(
        kg,
        """
        ?doc dcterms:title "BAB V Kesimpulan"@id ;
            dcterms:language "id" ;
            dcterms:type "undergraduate thesis chapter" .
        """,
        "The source document is not described as the Indonesian thesis chapter BAB V Kesimpulan.",
        doc=SOURCE_DOC,
    )
    # The evidence of a document's own claim is one of its passages, not a derivation.
    evidence = EVIDENCE["concepts"]
    assert_claims(
        kg,
        """
        ?passage a sck:Passage ; sck:inDocument ?doc ; sck:locator ?locator ; sck:quote ?quote .
        FILTER(STR(?locator) = STR(?wantedLocator) && CONTAINS(STR(?quote), STR(?phrase)))
        """,
        f"No passage of the chapter at {evidence.locator!r} quotes {evidence.phrase!r}.",
        doc=SOURCE_DOC,
        wantedLocator=Literal(evidence.locator),
        phrase=Literal(evidence.phrase),
    )


def test_paragraph_1_both_partners_are_sub_state_actors(kg: KnowledgeGraph) -> None:
    # The kinds of actor the model gives for "aktor sub-state": a city government for
    # Bandung, a metropolitan government for Seoul (both sck:SubStateActor in the ontology).
    for actor, kind in ((BANDUNG, "CityGovernment"), (SEOUL, "MetropolitanGovernment")):
        assert_claims(
            kg,
            f"?actor a sck:{kind} .",
            f"{actor} is not typed sck:{kind}.",
            actor=actor,
        )
        assert_derived_from(kg, actor, "sub-state")


def test_paragraph_1_actor_kinds_are_sub_state_actors_in_the_ontology(kg: KnowledgeGraph) -> None:
    if not ask(kg, "sck:SubStateActor ?p ?o ."):
        pytest.skip("ontology/sistercity.ttl does not (yet) define sck:SubStateActor")
    for actor in (BANDUNG, SEOUL):
        assert_claims(
            kg,
            "?actor a ?kind . ?kind rdfs:subClassOf+ sck:SubStateActor .",
            f"{actor} is not typed with a subclass of sck:SubStateActor.",
            actor=actor,
        )


def test_paragraph_1_cooperation_is_time_bound_without_a_stated_term(kg: KnowledgeGraph) -> None:
    assert_claims(
        kg,
        "?p sck:describedAsTimeBound true .",
        "The partnership is not recorded as time-bound (berjangka waktu).",
        p=PARTNERSHIP,
    )
    assert_derived_from(kg, PARTNERSHIP, "time-bound")


def test_paragraph_1_legal_basis_is_permendagri_1_1992(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        """
        SELECT ?law WHERE {
            ?p sck:legalBasis ?law .
            ?law a sck:LegalInstrument ;
                dcterms:identifier "Permendagri No. 1/1992" ;
                rdfs:label "Permendagri Nomor 1 Tahun 1992"@id .
        }
        """,
        p=PARTNERSHIP,
    )
    assert [row["law"] for row in rows] == [SCKID["legal-instrument/permendagri-1-1992"]]
    assert_derived_from(kg, PARTNERSHIP, "legal-basis")
    assert_derived_from(kg, SCKID["legal-instrument/permendagri-1-1992"], "legal-basis")


# -- paragraph 2 -------------------------------------------------------------------------


def test_paragraph_2_interests_of_bandung_in_several_fields(kg: KnowledgeGraph) -> None:
    interests = {
        row["interest"]: row["field"]
        for row in select(
            kg,
            """
            SELECT ?interest ?field WHERE {
                ?bandung sck:hasInterest ?interest .
                ?interest a sck:Interest ; sck:inPartnership ?p ; sck:field ?field .
            }
            """,
            bandung=BANDUNG,
            p=PARTNERSHIP,
        )
    }
    assert interests == {
        SCKID["interest/urban-governance-cooperation"]: SCKC["field/urban-governance"],
        SCKID["interest/cultural-cooperation"]: SCKC["field/culture"],
        SCKID["interest/knowledge-and-information-exchange"]: SCKC["field/knowledge-exchange"],
    }
    for interest in interests:
        assert_derived_from(kg, interest, "interests")
    assert_derived_from(kg, BANDUNG, "interests")
    assert_derived_from(kg, SEOUL, "seoul-named")
    # "not only one field but several": the partnership covers the fields of the interests.
    fields = {row["field"] for row in select(kg, "SELECT ?field WHERE { ?p sck:field ?field }", p=PARTNERSHIP)}
    assert fields == set(interests.values())
    assert len(fields) > 1
    assert_derived_from(kg, PARTNERSHIP, "several-fields")


# -- point 1 ---------------------------------------------------------------------------


def test_point_1_urban_governance_emulating_cheonggyecheon(kg: KnowledgeGraph) -> None:
    activity = SCKID["activity/cikapundung-cikapayang-river-restoration"]
    programme = SCKID["programme/cheonggyecheon-restoration"]
    assert_claims(
        kg,
        """
        ?interest sck:field sckc:field\\/urban-governance ; sck:pursuedThrough ?activity .
        ?activity a sck:CooperationActivity ;
            sck:partOf ?p ;
            sck:activityType sckc:activity-type\\/programme-emulation ;
            sck:field sckc:field\\/urban-governance ;
            sck:status sckc:status\\/planned ;
            sck:emulates ?programme ;
            sck:assistedBy ?seoul ;
            sck:locatedIn ?cikapundung , ?cikapayang .
        ?cikapundung a sck:Place ; rdfs:label "Sungai Cikapundung"@id ; sck:locatedIn ?bandungCity .
        ?cikapayang a sck:Place ; rdfs:label "Sungai Cikapayang"@id ; sck:locatedIn ?bandungCity .
        ?programme a sck:Programme ; sck:runBy ?seoul ; sck:locatedIn ?cheonggyecheon .
        ?cheonggyecheon a sck:Place ; rdfs:label "청계천"@ko ; sck:locatedIn ?seoulCity .
        ?activity sck:hasParticipation ?bySeoul , ?byBandung .
        ?bySeoul a sck:Participation ; sck:participant ?seoul ; sck:role sckc:participant-role\\/provider .
        ?byBandung a sck:Participation ; sck:participant ?bandung ;
            sck:role sckc:participant-role\\/beneficiary .
        """,
        "Point 1 (Bandung emulating Seoul's Cheonggyecheon restoration on its two rivers, "
        "with Seoul's assistance) is not fully in the data.",
        interest=SCKID["interest/urban-governance-cooperation"],
        activity=activity,
        p=PARTNERSHIP,
        programme=programme,
        seoul=SEOUL,
        bandung=BANDUNG,
        cikapundung=SCKID["place/cikapundung-river"],
        cikapayang=SCKID["place/cikapayang-river"],
        cheonggyecheon=SCKID["place/cheonggyecheon"],
        bandungCity=SCKID["jurisdiction/bandung"],
        seoulCity=SCKID["jurisdiction/seoul"],
    )
    assert_derived_from(kg, SCKID["interest/urban-governance-cooperation"], "urban-governance")
    assert_derived_from(kg, activity, "emulation")
    assert_derived_from(kg, activity, "assistance")
    assert_derived_from(kg, SEOUL, "assistance")
    assert_derived_from(kg, PARTNERSHIP, "urban-governance")
    assert_derived_from(kg, programme, "emulation")
    assert_derived_from(kg, SCKID["place/cheonggyecheon"], "emulation")
    assert_derived_from(kg, SCKID["place/cikapundung-river"], "rivers")
    assert_derived_from(kg, SCKID["place/cikapayang-river"], "rivers")


# -- point 2 ---------------------------------------------------------------------------


def test_point_2_culture_little_bandung_little_korea_and_festivals(kg: KnowledgeGraph) -> None:
    little_bandung = SCKID["activity/little-bandung-in-seoul"]
    little_korea = SCKID["activity/little-korea-in-bandung"]
    festivals = SCKID["activity/cultural-festival-participation"]
    assert_claims(
        kg,
        """
        ?interest sck:field sckc:field\\/culture ;
            sck:pursuedThrough ?littleBandung , ?littleKorea , ?festivals .
        ?littleBandung a sck:CooperationActivity ;
            sck:partOf ?p ;
            sck:activityType sckc:activity-type\\/cultural-centre ;
            sck:field sckc:field\\/culture ;
            sck:status sckc:status\\/completed ;
            sck:quantity ?quantity ;
            sck:locatedIn ?seoulCity ;
            sck:promotesCulture "budaya Pasundan"@id , "Sundanese (Pasundan) culture"@en ;
            sck:hasParticipation ?builtByBandung .
        ?builtByBandung a sck:Participation ; sck:participant ?bandung ; sck:role sckc:participant-role\\/provider .
        # Compared by value: Oxigraph stores xsd:positiveInteger as xsd:integer.
        FILTER(?quantity = 2)
        ?littleKorea a sck:CooperationActivity ;
            sck:partOf ?p ;
            sck:activityType sckc:activity-type\\/cultural-centre ;
            sck:field sckc:field\\/culture ;
            sck:status sckc:status\\/under-construction ;
            sck:locatedIn ?bandungCity ;
            sck:promotesCulture "budaya Korea"@id , "Korean culture"@en .
        ?festivals a sck:CooperationActivity ;
            sck:partOf ?p ;
            sck:activityType sckc:activity-type\\/festival-participation ;
            sck:field sckc:field\\/culture ;
            sck:status sckc:status\\/intended ;
            sck:hasParticipation ?bandungTakesPart , ?seoulTakesPart .
        ?bandungTakesPart a sck:Participation ; sck:participant ?bandung ;
            sck:role sckc:participant-role\\/participant .
        ?seoulTakesPart a sck:Participation ; sck:participant ?seoul ;
            sck:role sckc:participant-role\\/participant .
        """,
        "Point 2 (two Little Bandung built in Seoul, Little Korea under construction in Bandung, "
        "intended participation in each other's festivals) is not fully in the data.",
        interest=SCKID["interest/cultural-cooperation"],
        littleBandung=little_bandung,
        littleKorea=little_korea,
        festivals=festivals,
        p=PARTNERSHIP,
        bandung=BANDUNG,
        seoul=SEOUL,
        bandungCity=SCKID["jurisdiction/bandung"],
        seoulCity=SCKID["jurisdiction/seoul"],
    )
    # Who builds Little Korea is not stated, so nobody is said to take part in it.
    assert not ask(kg, "?littleKorea sck:hasParticipation ?any .", littleKorea=little_korea)
    assert_derived_from(kg, SCKID["interest/cultural-cooperation"], "culture")
    assert_derived_from(kg, PARTNERSHIP, "culture")
    assert_derived_from(kg, little_bandung, "little-bandung")
    assert_derived_from(kg, little_korea, "little-korea")
    assert_derived_from(kg, festivals, "festivals")


# -- point 3 ---------------------------------------------------------------------------


def test_point_3_staff_exchange_on_taxation_and_transportation(kg: KnowledgeGraph) -> None:
    staff_exchange = SCKID["activity/staff-exchange"]
    assert_claims(
        kg,
        """
        ?interest sck:field sckc:field\\/knowledge-exchange ; sck:pursuedThrough ?activity .
        ?activity a sck:CooperationActivity ;
            sck:partOf ?p ;
            sck:activityType sckc:activity-type\\/staff-exchange ;
            sck:field sckc:field\\/knowledge-exchange ;
            sck:topic sckc:field\\/taxation , sckc:field\\/transportation ;
            sck:purpose "meningkatkan sumber daya manusia yang ada"@id , "to improve human resources"@en ;
            sck:status sckc:status\\/ongoing ;
            sck:hasParticipation ?bandungTakesPart , ?seoulTakesPart .
        ?bandungTakesPart a sck:Participation ; sck:participant ?bandung ;
            sck:role sckc:participant-role\\/participant .
        ?seoulTakesPart a sck:Participation ; sck:participant ?seoul ;
            sck:role sckc:participant-role\\/participant .
        """,
        "Point 3 (Staff Exchange between the two governments on taxation and transportation, "
        "to improve human resources) is not fully in the data.",
        interest=SCKID["interest/knowledge-and-information-exchange"],
        activity=staff_exchange,
        p=PARTNERSHIP,
        bandung=BANDUNG,
        seoul=SEOUL,
    )
    assert_derived_from(kg, SCKID["interest/knowledge-and-information-exchange"], "knowledge-exchange")
    assert_derived_from(kg, staff_exchange, "staff-exchange")
    assert_derived_from(kg, PARTNERSHIP, "knowledge-exchange")


# -- closing paragraph ------------------------------------------------------------------


def test_paragraph_3_about_one_year_without_significant_obstacle(kg: KnowledgeGraph) -> None:
    assessment = SCKID["assessment/thesis-assessment"]
    assert_claims(
        kg,
        """
        ?assessment a sck:Assessment ;
            sck:inPartnership ?p ;
            sck:runningDuration "P1Y"^^xsd:duration ;
            sck:durationIsApproximate true ;
            sck:statement ?en , ?id .
        FILTER(LANG(?en) = "en" && CONTAINS(LCASE(STR(?en)), "significant obstacle"))
        FILTER(LANG(?id) = "id" && CONTAINS(STR(?id), "hambatan yang cukup berarti"))
        """,
        "The assessment (about one year, no significant obstacle) is not fully in the data.",
        assessment=assessment,
        p=PARTNERSHIP,
    )
    assert_derived_from(kg, assessment, "one-year")
    assert_derived_from(kg, assessment, "no-obstacle")


def test_paragraph_3_smart_city_mission_the_partnership_is_aligned_with(kg: KnowledgeGraph) -> None:
    mission = SCKID["policy/bandung-smart-city-mission"]
    assert_claims(
        kg,
        """
        ?mission a sck:Mission ;
            sck:basedOnConcept sckc:analytical-concept\\/smart-city ;
            sck:emphasises ?emphasis , ?penekanan .
        FILTER(LANG(?emphasis) = "en" && CONTAINS(LCASE(STR(?emphasis)), "infrastructure"))
        FILTER(LANG(?penekanan) = "id" && CONTAINS(STR(?penekanan), "infrastruktur kota"))
        ?p sck:alignedWith ?mission .
        ?bandung sck:pursues ?mission .
        """,
        "The Smart City mission of Bandung, pursued by its government and aligned with the "
        "partnership, is not fully in the data.",
        mission=mission,
        p=PARTNERSHIP,
        bandung=BANDUNG,
    )
    assert_derived_from(kg, mission, "mission")
    assert_derived_from(kg, PARTNERSHIP, "mission")
    assert_derived_from(kg, BANDUNG, "mission")


def test_paragraph_3_mayor_ridwan_kamil_pursues_the_mission(kg: KnowledgeGraph) -> None:
    person = SCKID["person/ridwan-kamil"]
    post = SCKID["post/mayor-of-bandung"]
    assert_claims(
        kg,
        """
        ?person a foaf:Person ;
            foaf:name "Ridwan Kamil" ;
            org:holds ?post ;
            sck:pursues ?mission .
        ?post a org:Post ; org:postIn ?bandung ; org:heldBy ?person .
        """,
        "Mayor Ridwan Kamil (his post in Bandung's government and his mission) is not fully in the data.",
        person=person,
        post=post,
        bandung=BANDUNG,
        mission=SCKID["policy/bandung-smart-city-mission"],
    )
    assert_derived_from(kg, person, "mayor")
    assert_derived_from(kg, post, "mayor")


def test_paragraph_3_two_recommendations_to_both_governments(kg: KnowledgeGraph) -> None:
    recommendations = {
        row["rec"]
        for row in select(
            kg,
            """
            SELECT ?rec WHERE {
                ?rec a sck:Recommendation ;
                    sck:inPartnership ?p ;
                    sck:addressedTo ?bandung , ?seoul ;
                    sck:statement ?en , ?id .
                FILTER(LANG(?en) = "en" && LANG(?id) = "id")
            }
            """,
            p=PARTNERSHIP,
            bandung=BANDUNG,
            seoul=SEOUL,
        )
    }
    coordination = SCKID["recommendation/internal-coordination"]
    understanding = SCKID["recommendation/mutual-understanding"]
    assert recommendations == {coordination, understanding}
    assert_derived_from(kg, coordination, "coordination")
    assert_derived_from(kg, understanding, "understanding")
    for actor in (BANDUNG, SEOUL):
        assert_derived_from(kg, actor, "both-governments")


# -- the evidence itself ----------------------------------------------------------------


@pytest.mark.parametrize("claim", sorted(EVIDENCE))
def test_evidence_phrase_is_in_its_part_of_the_source(claim: str) -> None:
    parts = source_parts()
    if parts is None:
        pytest.skip(f"the source text {SOURCE_FILE} is not available (only in the development checkout)")
    evidence = EVIDENCE[claim]
    assert evidence.phrase in parts[evidence.locator]


def test_every_quote_is_verbatim_from_the_part_its_locator_names(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?passage ?locator ?quote WHERE { GRAPH ?g { ?passage sck:locator ?locator ; sck:quote ?quote } }",
        g=DATA_GRAPH,
    )
    assert {str(row["locator"]) for row in rows} == {locator for locator, _ in PART_OPENINGS}
    for row in rows:
        quote = row["quote"]
        assert isinstance(quote, Literal) and quote.language == "id"
        assert str(quote) == normalise(str(quote)), f"{row['passage']}: the quote has unjoined whitespace."
    parts = source_parts()
    if parts is None:
        pytest.skip(f"the source text {SOURCE_FILE} is not available (only in the development checkout)")
    for row in rows:
        assert str(row["quote"]) in parts[str(row["locator"])], (
            f"{row['passage']}: the quote is not verbatim from {row['locator']} of the source."
        )


def test_every_node_has_english_and_indonesian_labels_and_claims_have_provenance(kg: KnowledgeGraph) -> None:
    subjects = {
        row["s"] for row in select(kg, "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", g=DATA_GRAPH)
    }
    assert subjects
    for node in subjects:
        languages = {
            row["label"].language
            for row in select(kg, "SELECT ?label WHERE { ?node rdfs:label ?label }", node=node)
        }
        assert {"en", "id"} <= languages, f"{node} lacks an English or Indonesian label."
    unsourced = select(
        kg,
        """
        SELECT ?s WHERE {
            GRAPH ?g { ?s a ?type }
            FILTER(?type NOT IN (sck:Passage, sck:SourceDocument))
            FILTER NOT EXISTS { GRAPH ?g { ?s prov:wasDerivedFrom ?passage . ?passage a sck:Passage } }
        }
        """,
        g=DATA_GRAPH,
    )
    assert unsourced == [], f"Nodes without a source passage: {[row['s'] for row in unsourced]}"


#: Nodes whose modelling reads something into the text (a status from a verb, a role, a
#: location from context, an unnamed country, a duration relative to an unstated date...).
INTERPRETED = (
    "activity/cikapundung-cikapayang-river-restoration",
    "activity/little-bandung-in-seoul",
    "activity/little-korea-in-bandung",
    "activity/cultural-festival-participation",
    "activity/staff-exchange",
    "participation/cikapundung-cikapayang-river-restoration--bandung-city-government",
    "programme/cheonggyecheon-restoration",
    "place/cikapundung-river",
    "place/cikapayang-river",
    "actor/seoul-metropolitan-government",
    "country/indonesia",
    "country/south-korea",
    "partnership/bandung-seoul-sister-city",
    "legal-instrument/permendagri-1-1992",
    "policy/bandung-smart-city-mission",
    "post/mayor-of-bandung",
    "assessment/thesis-assessment",
    "source/bandung-seoul-thesis-chapter-5",
)


@pytest.mark.parametrize("node", INTERPRETED)
def test_interpretations_are_explained_in_english_and_indonesian(kg: KnowledgeGraph, node: str) -> None:
    languages = {
        row["comment"].language
        for row in select(
            kg,
            "SELECT ?comment WHERE { GRAPH ?g { ?node rdfs:comment ?comment } }",
            node=SCKID[node],
            g=DATA_GRAPH,
        )
    }
    assert {"en", "id"} <= languages, f"{SCKID[node]} interprets the text but does not say how in en and id."


# -- faithfulness -----------------------------------------------------------------------


def test_no_blank_nodes_in_the_data(kg: KnowledgeGraph) -> None:
    parsed = data_graph_file()
    assert len(parsed) > 0
    assert not [t for t in parsed if any(isinstance(term, BNode) for term in t)]
    store = ox.Store()
    store.load(path=str(bundled_path(DATA_FILE)), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(parsed)
    assert not [q for q in store if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]
    assert not ask(kg, "GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }", g=DATA_GRAPH)


def test_no_signing_date_term_start_date_or_authorship_is_stated(kg: KnowledgeGraph) -> None:
    # The chapter names no agreement, date, term, author, university or year.
    unstated = """
        sck:signingDate sck:term sck:startDate sck:endDate sck:signatory sck:party sck:establishes
        sck:stage dcterms:date dcterms:created dcterms:issued dcterms:creator dcterms:publisher
        dcterms:valid schema:startDate schema:endDate schema:author schema:datePublished
        prov:startedAtTime prov:endedAtTime prov:generatedAtTime foaf:maker
    """
    rows = select(
        kg,
        f"SELECT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {unstated} }} }}",
        g=DATA_GRAPH,
    )
    assert rows == [], f"The data states what the chapter does not: {rows}"
    agreements = select(
        kg,
        """
        SELECT ?s WHERE {
            GRAPH ?g { ?s a ?type }
            FILTER(?type IN (sck:Agreement, sck:LetterOfIntent, sck:CooperationPlan,
                             sck:MemorandumOfUnderstanding, sck:ImplementationArrangement))
        }
        """,
        g=DATA_GRAPH,
    )
    assert agreements == [], "The chapter names no agreement document."
    dated = select(
        kg,
        """
        SELECT ?s ?p ?o WHERE {
            GRAPH ?g { ?s ?p ?o }
            FILTER(isLiteral(?o) && DATATYPE(?o) IN (xsd:date, xsd:dateTime, xsd:gYear, xsd:gYearMonth))
        }
        """,
        g=DATA_GRAPH,
    )
    assert dated == [], f"The chapter states no date, yet the data has: {dated}"
    # The only duration is how long the cooperation had run, held by the assessment.
    durations = select(
        kg,
        """
        SELECT ?s ?p WHERE {
            GRAPH ?g { ?s ?p ?o }
            FILTER(isLiteral(?o) && DATATYPE(?o) IN (xsd:duration, xsd:dayTimeDuration, xsd:yearMonthDuration))
        }
        """,
        g=DATA_GRAPH,
    )
    assert [(row["s"], row["p"]) for row in durations] == [
        (SCKID["assessment/thesis-assessment"], URIRef(sistercity_kg.SCK.runningDuration))
    ]


def test_quotes_keep_the_source_spelling() -> None:
    # The quotes are quotes: the source's "MetropolitanSeoul" and "berbasi" are not corrected.
    text = bundled_path(DATA_FILE).read_text(encoding="utf-8")
    quotes = " ".join(re.findall(r'sck:quote "([^"]*)"@id', text))
    assert "Pemerintah Kota MetropolitanSeoul:" in quotes
    assert "yang berbasi Smart City" in quotes
