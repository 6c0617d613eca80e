"""The named-query library: headers, expected answers, parity, safety, errors, CLI and thesis answers.

* Each competency question runs on the frozen fixture (``tests/queries/fixture.ttl``) and must
  give the answer in ``tests/queries/expected/<id>.json`` (a multiset of rows; in order, since
  every question sorts), and at least one row on the bundled data.
* Every query gives the same answer on pyoxigraph and on rdflib's own SPARQL engine.
* Every ``*-violation`` check returns no rows on valid data, and at least one on data broken on
  purpose (so none of them is a check that cannot fail).
* Parameters are bound as RDF terms: a hostile string is matched as a literal and changes nothing.
* The answers say what BAB V of the thesis says, each backed by a quote of the right passage.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdf_helpers import SHARED
from rdflib import OWL, RDF, Literal, URIRef
from rdflib import namespace as rdf_ns

import sistercity_kg as sck
from sistercity_kg import KnowledgeGraph, ParameterError, Query, QueryError, UnknownQueryError
from sistercity_kg.cli import main
from sistercity_kg.namespaces import PREFIXES, SCK, SCKC, SCKID
from sistercity_kg.terms import to_oxigraph

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "queries" / "fixture.ttl"
#: A frozen copy of the sources layer (named graphs per source), next to the frozen thesis data.
FIXTURE_SOURCES = HERE / "queries" / "fixture-sources.trig"
EXPECTED = HERE / "queries" / "expected"
REPO = HERE.parent
SOURCE_FILE = SHARED / "seed" / "bandung-seoul-conclusion.id.txt"
#: The thesis layer alone, for command-line checks of what the thesis says.
THESIS_FILE = str(REPO / "data" / "bandung-seoul.ttl")

# rdflib's own Dataset warns about its own deprecated internals during the parity queries
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

QUESTIONS = [q for q in sck.queries() if not q.is_check]
CHECKS = [q for q in sck.queries() if q.is_check]

BANDUNG = SCKID["actor/bandung-city-government"]
SEOUL = SCKID["actor/seoul-metropolitan-government"]
EXAMPLE_CITY = URIRef("https://example.org/sistercity-kg-test/actor/example-city-government")
TEST_PARTNERSHIP = URIRef("https://example.org/sistercity-kg-test/partnership/seoul-example")


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def fixture_kg() -> KnowledgeGraph:
    """The bundled ontology and schemes plus the frozen fixture data. Tests must not modify it."""
    kg = sck.load(include_data=False)
    kg.load_file(FIXTURE)
    kg.load_file(FIXTURE_SOURCES)
    return kg


def nt(term: Any) -> str:
    """A term in canonical N-Triples form (exact lexical comparison)."""
    return str(to_oxigraph(term))


def row_key(row: dict[str, Any], variables: tuple[str, ...] | list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((v, nt(row[v])) for v in variables if row.get(v) is not None)


def value_key(row: dict[str, Any], variables: list[str]) -> tuple[tuple[str, Any], ...]:
    """A row compared by value: IRIs by text, literals by (value, language, datatype)."""
    out = []
    for v in variables:
        term = row.get(v)
        if term is None:
            continue
        if isinstance(term, Literal):
            value = term.toPython() if term.ill_typed is not True else str(term)
            out.append((v, ("literal", str(value), term.language, str(term.datatype or ""))))
        else:
            out.append((v, (type(term).__name__, str(term))))
    return tuple(out)


def json_rows(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows of a SPARQL 1.1 JSON results file as rdflib terms."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for binding in doc["results"]["bindings"]:
        row: dict[str, Any] = {}
        for var, cell in binding.items():
            if cell["type"] == "uri":
                row[var] = URIRef(cell["value"])
            elif "xml:lang" in cell:
                row[var] = Literal(cell["value"], lang=cell["xml:lang"])
            elif "datatype" in cell:
                row[var] = Literal(cell["value"], datatype=URIRef(cell["datatype"]), normalize=False)
            else:
                row[var] = Literal(cell["value"])
        rows.append(row)
    return doc["head"]["vars"], rows


def body(query: Query) -> str:
    """The query text without comment lines."""
    return "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))


def rdflib_rows(dataset: Any, text: str) -> tuple[list[str], list[dict[str, Any]]]:
    result = dataset.query(text)
    variables = [str(v) for v in result.vars]
    return variables, [{str(k): v for k, v in row.asdict().items()} for row in result]


def quote_of(kg: KnowledgeGraph, claim: URIRef, locator: str) -> str:
    """The quote of the passage with ``locator`` that ``claim`` is derived from (via cq-claim-provenance)."""
    rows = kg.query("cq-claim-provenance", bindings={"claim": claim, "locator": locator}).rows
    assert len(rows) == 1, f"{claim} is not derived from exactly one passage at {locator!r}"
    return str(rows[0]["quote"])


def in_source(phrase: str) -> bool:
    """True when the phrase is in the thesis text (whitespace-normalised), or the text is absent."""
    if not SOURCE_FILE.is_file():
        return True
    text = " ".join(SOURCE_FILE.read_text(encoding="utf-8").split())
    return " ".join(phrase.split()) in text


def local(term: Any) -> str:
    return str(term).rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- headers


def test_the_library_has_the_issue_questions_and_checks() -> None:
    ids = {q.id for q in sck.queries()}
    wanted = {
        "cq-interests", "cq-fields-of-cooperation", "cq-policy-transfer", "cq-reciprocity",
        "cq-legal-basis", "cq-analytical-concepts", "cq-activities-by-status",
        "cq-staff-exchange-topics", "cq-leaders-and-missions", "cq-claim-provenance",
        "cq-assessment", "cq-partners", "cq-places", "cq-gaps",
        "claim-without-provenance-violation", "partnership-partners-violation", "activity-field-violation",
    }
    assert wanted <= ids, f"missing: {sorted(wanted - ids)}"
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("query", sck.queries(), ids=lambda q: q.id)
def test_header_is_complete_and_prefixes_come_from_PREFIXES(query: Query) -> None:
    assert query.id == query.path.stem
    assert query.question.get("en") and query.question.get("id"), "question in English and Indonesian"
    assert query.question["en"] != query.question["id"]
    if query.is_check:
        assert query.expects_no_rows and not query.parameters
    else:
        assert (REPO / query.expected).is_file(), f"expected-answer file {query.expected} is missing"
        assert query.expected == f"tests/queries/expected/{query.id}.json"
    text = body(query)
    declared = dict(re.findall(r"^PREFIX\s+([A-Za-z][\w-]*):\s*<([^>]+)>", text, flags=re.MULTILINE))
    assert declared, "no PREFIX lines"
    for prefix, iri in declared.items():
        assert PREFIXES.get(prefix) == iri, f"PREFIX {prefix}: differs from sistercity_kg.namespaces.PREFIXES"
    rest = re.sub(r"^PREFIX.*$", "", text, flags=re.MULTILINE)
    rest = re.sub(r'"[^"]*"|<[^>]*>', "", rest)  # strings and IRIs cannot hold a prefixed name
    used = set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):[A-Za-z_]", rest)) | set(re.findall(r"\b(sckc):\w", rest))
    assert used == set(declared), f"declared but unused: {set(declared) - used}; used but undeclared: {used - set(declared)}"
    assert list(declared) == sorted(declared), "PREFIX lines in alphabetical order"


@pytest.mark.parametrize("query", QUESTIONS, ids=lambda q: q.id)
def test_every_parameter_takes_effect(query: Query, bundled_kg: KnowledgeGraph) -> None:
    """A value that matches nothing empties the answer; ``lang`` picks the language of every text.

    This is what the VALUES binding needs: each parameter restricts the top-level group (a
    parameter used only inside a nested group would silently be ignored).
    """
    assert len(bundled_kg.query(query.id)) >= 1
    for p in query.parameters:
        if p.name == "lang":
            rows = bundled_kg.query(query.id, bindings={"lang": "id"}).rows
            tags = {t.language for r in rows for t in r.values() if isinstance(t, Literal) and t.language}
            assert tags == {"id"}, f"{query.id}: lang=id gives {tags}"
            continue
        nothing = {"IRI": "https://example.org/nothing", "date": "1900-01-01"}.get(p.type, "no such value")
        assert len(bundled_kg.query(query.id, bindings={p.name: nothing})) == 0, f"{query.id}: {p.name} ignored"


def test_every_sck_term_a_query_or_rule_uses_is_declared_in_the_ontology(bundled_kg: KnowledgeGraph) -> None:
    declared = set(bundled_kg.query(
        f"SELECT ?t WHERE {{ VALUES ?k {{ <{OWL.Class}> <{OWL.ObjectProperty}> <{OWL.DatatypeProperty}> }} ?t a ?k }}"
    ).values("t"))
    concepts = set(bundled_kg.query(
        "SELECT ?c WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> ?s }"
    ).values("c"))
    texts = [(q.id, body(q)) for q in sck.queries()] + [(r.id, r.text) for r in sck.rules.rules()]
    used_terms, used_concepts = set(), set()
    for qid, text in texts:
        code = re.sub(r'"[^"]*"', "", "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#")))
        for name in re.findall(r"\bsck:([A-Za-z]\w*)", code):
            used_terms.add((qid, SCK[name]))
        for iri in re.findall(r"<(https://w3id\.org/sistercity-kg/concept/[^>]+/[^>]+)>", code):
            used_concepts.add((qid, URIRef(iri)))
    for q in sck.queries():
        for p in q.parameters:
            if isinstance(p.default, URIRef) and str(p.default).startswith(str(SCKC)):
                used_concepts.add((q.id, p.default))
    assert used_terms and used_concepts
    undeclared = sorted(f"{qid}: {t}" for qid, t in used_terms if t not in declared)
    assert not undeclared, undeclared
    unknown = sorted(f"{qid}: {c}" for qid, c in used_concepts if c not in concepts)
    assert not unknown, unknown


def test_defaults_name_existing_nodes_of_the_bundled_data(bundled_kg: KnowledgeGraph) -> None:
    for q in sck.queries():
        for p in q.parameters:
            if isinstance(p.default, URIRef):
                assert bundled_kg.query(f"ASK {{ <{p.default}> ?p ?o }}").boolean, f"{q.id}: {p.name} default"


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("query", QUESTIONS, ids=lambda q: q.id)
def test_competency_question_gives_the_expected_answer_on_the_fixture(
    query: Query, fixture_kg: KnowledgeGraph
) -> None:
    variables, expected = json_rows(REPO / query.expected)
    result = fixture_kg.query(query.id)
    assert list(result.variables) == variables
    got = [row_key(r, variables) for r in result.rows]
    want = [row_key(r, variables) for r in expected]
    assert want, "an empty expected answer proves nothing"
    if re.search(r"\bORDER\s+BY\b", body(query), flags=re.IGNORECASE):
        assert got == want
    else:
        assert sorted(got) == sorted(want)


@pytest.mark.parametrize("query", QUESTIONS, ids=lambda q: q.id)
def test_competency_question_answers_from_the_bundled_data(query: Query, bundled_kg: KnowledgeGraph) -> None:
    assert len(bundled_kg.query(query.id)) >= 1


@pytest.mark.parametrize("query", CHECKS, ids=lambda q: q.id)
def test_violation_checks_find_nothing_in_valid_data(
    query: Query, bundled_kg: KnowledgeGraph, fixture_kg: KnowledgeGraph
) -> None:
    assert bundled_kg.query(query.id).rows == ()
    assert fixture_kg.query(query.id).rows == ()


#: Data broken on purpose, one snippet per way each check can fail (Turtle, added to the bundled graph).
BROKEN = {
    "claim-without-provenance-violation": [
        "sckid:actor/x a sck:CityGovernment .",
        "sckid:post/x a org:Post ; prov:wasDerivedFrom sckid:source/bandung-seoul-thesis-chapter-5 .",
    ],
    "partnership-partners-violation": [
        "sckid:partnership/x a sck:Partnership ; sck:partner sckid:actor/bandung-city-government .",
        "sckid:partnership/x a sck:Partnership .",
    ],
    "activity-field-violation": [
        "sckid:activity/staff-exchange sck:topic <https://example.org/not-a-field> .",
        "sckid:activity/x a sck:CooperationActivity .",
    ],
    "activity-status-violation": [
        "sckid:activity/staff-exchange sck:status <https://w3id.org/sistercity-kg/concept/status/completed> .",
        "sckid:activity/x a sck:CooperationActivity .",
        "sckid:activity/x a sck:CooperationActivity ; sck:status <https://w3id.org/sistercity-kg/concept/field/culture> .",
    ],
    "activity-outside-partnership-violation": [
        "sckid:activity/x a sck:CooperationActivity ; sck:partOf sckid:actor/bandung-city-government .",
        "sckid:activity/x a sck:CooperationActivity .",
    ],
    "interest-field-violation": [
        "sckid:interest/cultural-cooperation sck:pursuedThrough sckid:activity/staff-exchange .",
        "sckid:actor/seoul-metropolitan-government sck:hasInterest sckid:interest/x . "
        "sckid:interest/x sck:inPartnership sckid:partnership/y .",
    ],
    "undeclared-term-violation": [
        "sckid:actor/bandung-city-government sck:twinnedWith sckid:actor/seoul-metropolitan-government .",
        "sckid:actor/x a sck:TownGovernment .",
    ],
    "passage-incomplete-violation": [
        "sckid:passage/x a sck:Passage ; sck:locator \"nowhere\" ; sck:quote \"q\"@id .",
        "sckid:passage/x a sck:Passage ; sck:inDocument sckid:source/bandung-seoul-thesis-chapter-5 .",
    ],
    "participation-incomplete-violation": [
        "sckid:participation/x a sck:Participation ; sck:role <https://w3id.org/sistercity-kg/concept/participant-role/host> .",
        "sckid:participation/x a sck:Participation ; sck:participant sckid:actor/bandung-city-government ; "
        "sck:role <https://w3id.org/sistercity-kg/concept/participant-role/host> .",
    ],
}


@pytest.mark.parametrize(
    ("query_id", "snippet"),
    [(qid, snippet) for qid, snippets in BROKEN.items() for snippet in snippets],
    ids=[f"{qid}-{i}" for qid, snippets in BROKEN.items() for i in range(len(snippets))],
)
def test_violation_checks_catch_broken_data(query_id: str, snippet: str, fresh_kg: KnowledgeGraph) -> None:
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    # instance IRIs have a '/' after the kind, which a Turtle prefixed name cannot hold
    snippet = re.sub(r"\bsckid:([\w/-]+)", lambda m: f"<{SCKID}{m.group(1)}>", snippet)
    fresh_kg.load_data(prefixes + snippet, format="turtle", graph="https://example.org/broken")
    assert len(fresh_kg.query(query_id)) >= 1


def test_every_check_has_broken_data() -> None:
    assert set(BROKEN) == {q.id for q in CHECKS}


# --------------------------------------------------------------------------- parity


@pytest.fixture(scope="module")
def inferred_kg() -> KnowledgeGraph:
    kg = sck.load()
    kg.infer()
    return kg


@pytest.fixture(scope="module")
def datasets(inferred_kg: KnowledgeGraph, fixture_kg: KnowledgeGraph) -> dict[str, tuple[KnowledgeGraph, Any]]:
    """Each graph with its rdflib copy (a Dataset whose default graph is the union)."""
    return {name: (kg, kg.to_dataset()) for name, kg in [("bundled+inferred", inferred_kg), ("fixture", fixture_kg)]}


@pytest.mark.parametrize("query", sck.queries(), ids=lambda q: q.id)
@pytest.mark.parametrize("graph", ["bundled+inferred", "fixture"])
def test_pyoxigraph_and_rdflib_give_the_same_answer(
    query: Query, graph: str, datasets: dict[str, tuple[KnowledgeGraph, Any]]
) -> None:
    kg, dataset = datasets[graph]
    text = query.sparql()
    ours = kg.sparql(text)
    variables, theirs = rdflib_rows(dataset, text)
    assert sorted(variables) == sorted(ours.variables)
    assert sorted(value_key(r, variables) for r in ours.rows) == sorted(value_key(r, variables) for r in theirs)


# --------------------------------------------------------------------------- parameters


def test_parameters_can_be_iris_curies_or_terms(fixture_kg: KnowledgeGraph) -> None:
    by_term = fixture_kg.query("cq-partners", bindings={"actor": SEOUL})
    by_curie = fixture_kg.query("cq-partners", bindings={"actor": "sckid:actor/seoul-metropolitan-government"})
    by_text = fixture_kg.query("cq-partners", bindings={"actor": str(SEOUL)})
    by_angle = fixture_kg.query("cq-partners", bindings={"actor": f"<{SEOUL}>"})
    assert by_term.rows == by_curie.rows == by_text.rows == by_angle.rows
    assert set(by_term.values("partner")) == {BANDUNG, EXAMPLE_CITY}


def test_a_parameter_changes_the_answer(fixture_kg: KnowledgeGraph) -> None:
    default = fixture_kg.query("cq-legal-basis")
    assert default.values("identifier") == [Literal("Permendagri No. 1/1992")]
    # the test partnership has no legal basis of its own: it rests on the agreement that establishes it
    other = fixture_kg.query("cq-legal-basis", bindings={"subject": TEST_PARTNERSHIP})
    assert other.values("identifier") == [Literal("Example Law 1")]
    completed = fixture_kg.query("cq-activities-by-status", bindings={"status": "sckc:status/completed"})
    assert {local(a) for a in completed.values("activity")} == {"little-bandung-in-seoul", "example-study-visit"}


def test_lang_gives_indonesian_labels(bundled_kg: KnowledgeGraph) -> None:
    rows = bundled_kg.query("cq-interests", bindings={"lang": "id"}).rows
    assert len(rows) == 3
    assert all(r["interestLabel"].language == "id" and r["fieldLabel"].language == "id" for r in rows)
    assert Literal("kebudayaan", lang="id") in {r["fieldLabel"] for r in rows}


def test_typed_literal_parameters(tmp_path: Path, bundled_kg: KnowledgeGraph) -> None:
    path = tmp_path / "typed.rq"
    path.write_text(
        "# id: typed\n# question (en): typed?\n# question (id): bertipe?\n# parameters:\n"
        "#   n: integer; default 1\n#   d: date; default 2015-05-24\n#   b: boolean; default false\n"
        "#   x: decimal; default none\n# expected: no rows\n\nSELECT ?n ?d ?b ?x WHERE { }\n",
        encoding="utf-8",
    )
    row = bundled_kg.query(path).rows[0]
    assert row["n"] == Literal(1) and row["n"].datatype == rdf_ns.XSD.integer
    assert row["d"].datatype == rdf_ns.XSD.date and str(row["d"]) == "2015-05-24"
    assert row["b"].datatype == rdf_ns.XSD.boolean and "x" not in row
    import datetime as dt

    row = bundled_kg.query(str(path), bindings={"n": "7", "d": dt.date(2020, 1, 2), "b": True, "x": Decimal("1.5")}).rows[0]
    assert (int(row["n"]), str(row["d"]), row["b"].toPython(), str(row["x"])) == (7, "2020-01-02", True, "1.5")
    with pytest.raises(ParameterError, match=r"'n' expects an integer"):
        bundled_kg.query(path, bindings={"n": "seven"})
    with pytest.raises(ParameterError, match=r"'d' expects a date"):
        bundled_kg.query(path, bindings={"d": "24/05/2015"})
    with pytest.raises(ParameterError, match=r"'b' expects a boolean"):
        bundled_kg.query(path, bindings={"b": 1})


HOSTILE = 'x" } ; DROP ALL ; { <a> <b> "c'


def test_a_hostile_parameter_is_matched_as_a_literal_and_changes_nothing(fresh_kg: KnowledgeGraph) -> None:
    # A passage whose locator *is* the hostile string, and a claim derived from it.
    passage = URIRef("https://example.org/hostile/passage")
    claim = URIRef("https://example.org/hostile/claim")
    fresh_kg.add(
        [
            (passage, RDF.type, SCK.Passage),
            (passage, SCK.locator, Literal(HOSTILE)),
            (passage, SCK.inDocument, SCKID["source/bandung-seoul-thesis-chapter-5"]),
            (claim, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), passage),
        ],
        graph="https://example.org/hostile",
    )
    before_len, before_text = len(fresh_kg), fresh_kg.serialize(format="nquads")
    result = fresh_kg.query("cq-claim-provenance", bindings={"locator": HOSTILE})
    assert [(r["claim"], str(r["locator"])) for r in result.rows] == [(claim, HOSTILE)]
    # as an IRI the same text is refused before any query runs
    with pytest.raises(ParameterError, match="'claim' expects an IRI"):
        fresh_kg.query("cq-claim-provenance", bindings={"claim": HOSTILE})
    # the string parameter of every question, with the hostile text, is only a literal
    for query in QUESTIONS:
        if any(p.name == "lang" for p in query.parameters):
            fresh_kg.query(query.id, bindings={"lang": HOSTILE})
    assert len(fresh_kg) == before_len
    assert fresh_kg.serialize(format="nquads") == before_text
    assert "DROP ALL" not in sck.get_query("cq-claim-provenance").sparql({"locator": "plain"})
    assert '\\"' in sck.get_query("cq-claim-provenance").sparql({"locator": HOSTILE})


@pytest.mark.parametrize(
    ("bindings", "pattern"),
    [
        ({"actor": 42}, r"^Query 'cq-partners': parameter 'actor' expects an IRI of a sck:SubStateActor .*got 42\.$"),
        ({"actor": "Bandung"}, r"parameter 'actor' expects an IRI of a sck:SubStateActor such as sckid:actor/bandung-city-government; got 'Bandung'"),
        ({"actor": Literal("x")}, r"parameter 'actor' expects an IRI"),
        ({"lang": 5}, r"parameter 'lang' expects a string \(xsd:string\)"),
        ({"lang": SEOUL}, r"parameter 'lang' expects a string"),
        ({"actr": BANDUNG}, r"^Query 'cq-partners' has no parameter 'actr' \(did you mean 'actor'\?\); its parameters are: actor, lang\.$"),
    ],
)
def test_bad_parameters_give_one_line_specific_errors(bindings: dict, pattern: str, bundled_kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError) as info:
        bundled_kg.query("cq-partners", bindings=bindings)
    message = str(info.value)
    assert "\n" not in message
    assert re.search(pattern, message), message


def test_a_missing_required_parameter_is_named_with_its_type(tmp_path: Path, bundled_kg: KnowledgeGraph) -> None:
    path = tmp_path / "needs-actor.rq"
    path.write_text(
        "# id: needs-actor\n# question (en): Which partners?\n# question (id): Mitra mana?\n# parameters:\n"
        "#   actor: IRI of a sck:SubStateActor; default required\n# expected: no rows\n\n"
        "SELECT ?p WHERE { ?x <https://w3id.org/sistercity-kg/ontology#partner> ?actor , ?p }\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"^Query 'needs-actor' needs parameter 'actor' \(an IRI of a sck:SubStateActor\); none was given\.$"):
        bundled_kg.query(path)
    assert SEOUL in bundled_kg.query(path, bindings={"actor": BANDUNG}).values("p")


def test_an_unknown_query_name_lists_the_closest_names(bundled_kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownQueryError) as info:
        bundled_kg.query("cq-interest")
    message = str(info.value)
    assert "\n" not in message and "'cq-interest'" in message
    assert re.search(r"closest: cq-interests\b", message), message
    with pytest.raises(UnknownQueryError, match="cq-reciprocity"):
        sck.get_query("reciprocity")
    assert sck.get_query("cq-gaps.rq").id == "cq-gaps"


def test_raw_sparql_and_files_still_run(bundled_kg: KnowledgeGraph, tmp_path: Path) -> None:
    raw = bundled_kg.query(
        "SELECT ?l WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l }", bindings={"a": BANDUNG}
    )
    assert Literal("Bandung City Government", lang="en") in raw.values("l")
    copy = tmp_path / "copy.rq"
    copy.write_text(sck.get_query("cq-interests").text, encoding="utf-8")
    assert bundled_kg.query(copy).rows == bundled_kg.query("cq-interests").rows
    with pytest.raises(QueryError, match="no such query file"):
        bundled_kg.query(str(tmp_path / "absent.rq"))
    with pytest.raises(QueryError):
        bundled_kg.query("SELECT ?x WHERE { ?x ")


def test_query_objects_describe_themselves() -> None:
    q = sck.get_query("cq-reciprocity")
    assert isinstance(q, sck.Query) and all(isinstance(p, sck.Parameter) for p in q.parameters)
    field = q.parameter("field")
    assert field.type == "IRI" and field.range == "sck:CooperationField"
    assert field.default == SCKC["field/culture"]
    assert q.parameter("lang").default == Literal("en")
    assert sck.get_query("cq-activities-by-status").parameter("status").default is None


# --------------------------------------------------------------------------- the thesis, point by point


def test_answers_match_the_thesis_point_by_point(thesis_kg: KnowledgeGraph) -> None:
    kg = thesis_kg
    # Paragraph 2 + points 1-3: three interests of Bandung, one per field.
    rows = kg.query("cq-interests").rows
    assert {local(r["interest"]): local(r["field"]) for r in rows} == {
        "urban-governance-cooperation": "urban-governance",
        "cultural-cooperation": "culture",
        "knowledge-and-information-exchange": "knowledge-exchange",
    }
    for interest, point in [("urban-governance-cooperation", 1), ("cultural-cooperation", 2), ("knowledge-and-information-exchange", 3)]:
        quote = quote_of(kg, SCKID[f"interest/{interest}"], f"BAB V, point {point}")
        assert quote.startswith(["Kerjasama dalam bidang tata kelola", "Kerjasama dalam bidang kebudayaan", "Adanya aktivitas saling bertukar ilmu"][point - 1])

    # Point 1: Cikapundung and Cikapayang <- Cheonggyecheon, with Seoul's assistance.
    rows = kg.query("cq-policy-transfer").rows
    assert {local(r["place"]) for r in rows} == {"cikapundung-river", "cikapayang-river"}
    assert {(local(r["programme"]), r["programmeActor"], r["assistant"], local(r["programmePlace"])) for r in rows} == {
        ("cheonggyecheon-restoration", SEOUL, SEOUL, "cheonggyecheon")
    }
    quote = quote_of(kg, SCKID["activity/cikapundung-cikapayang-river-restoration"], "BAB V, point 1")
    for phrase in ["mencontoh program restorasi Sungai Chong Gye Cheon", "Sungai Cikapundung dan Sungai Cikapayang", "dengan pendampingan Pemerintah Kota Seoul"]:
        assert phrase in quote and in_source(phrase)

    # Point 2: Little Bandung in Seoul mirrors Little Korea in Bandung; what each promotes.
    rows = kg.query("cq-reciprocity", bindings={"lang": "id"}).rows
    assert [(local(r["activity"]), local(r["where"]), local(r["mirror"]), local(r["mirrorWhere"])) for r in rows] == [
        ("little-bandung-in-seoul", "seoul", "little-korea-in-bandung", "bandung")
    ]
    assert (str(rows[0]["activityPromotes"]), str(rows[0]["mirrorPromotes"])) == ("budaya Pasundan", "budaya Korea")
    quote = quote_of(kg, SCKID["activity/little-korea-in-bandung"], "BAB V, point 2")
    assert "dua Little Bandung di Seoul" in quote and "pembangunan Little Korea di Bandung" in quote

    # Statuses read from the tenses of points 1-3.
    rows = kg.query("cq-activities-by-status").rows
    assert {local(r["activity"]): local(r["status"]) for r in rows} == {
        "cikapundung-cikapayang-river-restoration": "planned",
        "little-bandung-in-seoul": "completed",
        "little-korea-in-bandung": "under-construction",
        "cultural-festival-participation": "intended",
        "staff-exchange": "ongoing",
    }

    # Fields of the cooperation: three, five activities.
    rows = kg.query("cq-fields-of-cooperation").rows
    assert {local(r["field"]) for r in rows} == {"urban-governance", "culture", "knowledge-exchange"}
    assert len({r["activity"] for r in rows}) == 5

    # Point 3: staff exchange on taxation and transportation, to improve human resources.
    rows = kg.query("cq-staff-exchange-topics", bindings={"lang": "id"}).rows
    assert {local(r["topic"]) for r in rows} == {"taxation", "transportation"}
    purpose = {str(r["purpose"]) for r in rows}
    assert purpose == {"meningkatkan sumber daya manusia yang ada"} and in_source(purpose.pop())

    # Paragraph 1: legal basis and analytical concepts.
    assert kg.query("cq-legal-basis").values("identifier") == [Literal("Permendagri No. 1/1992")]
    assert "Permendagri Nomor 1 tahun 1992" in quote_of(kg, SCKID["legal-instrument/permendagri-1-1992"], "BAB V, paragraph 1")
    assert {local(c) for c in kg.query("cq-analytical-concepts").values("concept")} == {"paradiplomacy", "sister-city"}
    assert {local(p) for p in kg.query("cq-partners").values("partner")} == {"seoul-metropolitan-government"}

    # Paragraph 3: mission of Bandung and of Mayor Ridwan Kamil, Smart City; assessment; advice.
    rows = kg.query("cq-leaders-and-missions").rows
    assert {local(r["concept"]) for r in rows} == {"smart-city"}
    assert {(local(r["pursuer"]), local(r.get("post", ""))) for r in rows} == {
        ("bandung-city-government", ""),
        ("ridwan-kamil", "mayor-of-bandung"),
    }
    assert "Walikota Bandung Ridwan Kamil" in quote_of(kg, SCKID["person/ridwan-kamil"], "BAB V, paragraph 3")
    rows = kg.query("cq-assessment").rows
    assessment = [r for r in rows if r["kind"] == SCK.Assessment]
    assert len(assessment) == 1 and str(assessment[0]["runningDuration"]) == "P1Y"
    assert assessment[0]["durationIsApproximate"].toPython() is True
    assert {local(r["item"]) for r in rows if r["kind"] == SCK.Recommendation} == {"internal-coordination", "mutual-understanding"}
    assert in_source("berjalan sekitar satu tahun kebelakang")

    # Places: the two rivers in Bandung, Cheonggyecheon in Seoul.
    places = {local(r["place"]): local(r["jurisdiction"]) for r in kg.query("cq-places").rows}
    assert {k: places[k] for k in ("cikapundung-river", "cikapayang-river", "cheonggyecheon")} == {
        "cikapundung-river": "bandung", "cikapayang-river": "bandung", "cheonggyecheon": "seoul"
    }

    # Gaps: the chapter names no term, start or signing date, and no activity dates.
    gaps = {(local(r["subject"]), str(r["missing"]).rsplit("#", 1)[1]) for r in kg.query("cq-gaps").rows}
    partnership = "bandung-seoul-sister-city"
    assert {(partnership, "term"), (partnership, "startDate"), (partnership, "signingDate")} <= gaps
    assert ("little-bandung-in-seoul", "endDate") in gaps
    assert {s for s, m in gaps if m == "startDate"} >= {"staff-exchange", "little-korea-in-bandung"}


def test_gaps_say_what_is_missing_for_agreements_too(fixture_kg: KnowledgeGraph) -> None:
    rows = fixture_kg.query("cq-gaps").rows
    # the synthetic memorandum of part 2 of fixture.ttl (the sources layer adds real agreements)
    example = [r for r in rows if str(r["subject"]).startswith("https://example.org/")]
    agreement = {str(r["missing"]).rsplit("#", 1)[1] for r in example if "agreement/" in str(r["subject"])}
    assert agreement == {"term", "startDate"}  # the memorandum states its signing date
    assert all(r["kind"] == SCK.Agreement for r in rows if "agreement/" in str(r["subject"]))
    assert not [r for r in rows if r["subject"] == TEST_PARTNERSHIP]  # term, start and signed agreement stated
    assert not [r for r in rows if "example-study-visit" in str(r["subject"])]  # dated activity
    assert {str(r["missingLabel"]) for r in rows} >= {"term", "start date", "signing date"}


# --------------------------------------------------------------------------- command line


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_lists_the_queries_in_either_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "queries")
    assert code == 0 and all(q.id in out for q in sck.queries())
    assert sck.get_query("cq-interests").question["en"] in out
    code, out, _ = run_cli(capsys, "queries", "--lang", "id")
    assert code == 0 and sck.get_query("cq-interests").question["id"] in out


def test_cli_runs_a_query_in_each_format(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that the table wraps no cell
    code, out, _ = run_cli(capsys, "query", "cq-staff-exchange-topics", "--format", "csv", "--param", "lang=id")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "activity,activityLabel,topic,topicLabel,purpose" and len(lines) == 3
    assert "meningkatkan sumber daya manusia yang ada" in out
    code, out, _ = run_cli(capsys, "query", "cq-partners", "--format", "json", "--param", "actor=sckid:actor/seoul-metropolitan-government",
                             "--data", THESIS_FILE)
    assert code == 0
    assert [b["partner"]["value"] for b in json.loads(out)["results"]["bindings"]] == [str(BANDUNG)]
    code, out, _ = run_cli(capsys, "query", "cq-reciprocity", "--data", THESIS_FILE)
    assert code == 0 and "(1 row)" in out and "Little Bandung in Seoul" in out and "Little Korea in Bandung" in out
    code, out, _ = run_cli(capsys, "query", str(sck.get_query("cq-gaps").path), "--data", str(FIXTURE), "--format", "csv")
    assert code == 0 and "seoul-example-mou" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["query", "cq-interest"], "closest: cq-interests"),
        (["query", "cq-partners", "--param", "actor=42"], "parameter 'actor' expects an IRI"),
        (["query", "cq-partners", "--param", "nope=1"], "has no parameter 'nope'"),
        (["query", "cq-partners", "--param", "actor"], "NAME=VALUE"),
        (["query", "missing-file.rq"], "no such query file"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_2(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err, err


def test_cli_infer_reports_counts_and_writes_the_derived_graphs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "inferred.trig"
    code, out, _ = run_cli(capsys, "infer", THESIS_FILE, "--out", str(out_file))
    assert code == 0 and "reciprocity: 2 new triples" in out
    written = KnowledgeGraph()
    written.load_file(out_file)
    graph = sck.rules.rule_graph("reciprocity")
    rows = written.sparql(f"SELECT ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    assert [r["p"] for r in rows] == [SCK.mirrors, SCK.mirrors]
