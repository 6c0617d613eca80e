"""Independent cross-checks with Apache Jena 4.5 (Debian ``libapache-jena-java``; .ci/run installs it).

- riot validates every shipped RDF file (ontology, data, test fixtures meant to be valid);
- Jena's parser agrees that the syntax-broken fixtures of tests/bad_inputs.py are broken and
  reads every export format of the bundled graph with the same number of statements as
  pyoxigraph and rdflib;
- Jena's SHACL engine agrees with the library's validation on every shape fixture and on the
  bundled data: same verdict, same focus nodes with violations;
- Jena ARQ gives the same answers as the library to competency questions.

Files are batched per JVM call (each start costs 1.3-2 s). The scripts are tests/tools/jena/.
Known differences are listed in KNOWN_DIFFERENCES and in docs/bad-input.md, not hidden.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from bad_inputs import CASES
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import SH

import sistercity_kg as sck
from sistercity_kg.namespaces import sparql_prefixes
from sistercity_kg.queries import get_query
from sistercity_kg.resources import bundled_path

REPO = Path(__file__).resolve().parent.parent
JENA = REPO / "tests" / "tools" / "jena"

pytestmark = pytest.mark.skipif(
    not Path("/usr/share/java/jena-cmds.jar").exists() or shutil.which("java") is None or shutil.which("javac") is None,
    reason="Apache Jena (apt-get install libapache-jena-java) and a JDK are needed; .ci/run installs them",
)

#: Where Jena and the library are known to disagree, and why.
KNOWN_DIFFERENCES = {
    "shapes-messages": "Jena 4.5 refuses a SPARQL constraint with more than one sh:message (one per language); "
    "the shapes given to Jena keep the English message only.",
    "relative-iri": "Jena resolves relative IRIs against the file's location; the library refuses them.",
    "latin-1": "Jena reads Latin-1 bytes as replacement characters with a warning; the library refuses the file.",
    "nesting": "Jena's Turtle parser recurses and overflows its stack on 100,000 nested lists; Oxigraph loads them.",
    "jsonld-1.1": "Debian's Jena ships its JSON-LD 1.1 reader (titanium) without a Jakarta JSON provider, so it "
    "fails on every document; JenaBatch.java reads .jsonld with Jena's JSON-LD 1.0 reader (jsonld-java).",
    "empty-rdfxml": "Jena calls an empty .rdf file a premature end of file; Oxigraph reads no triples.",
}


def run(script: str, *args: str, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JENA / script), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO)


def shipped_files() -> list[Path]:
    files = sorted((REPO / "ontology").glob("*.ttl")) + sorted((REPO / "data").glob("*.ttl"))
    files += sorted((REPO / "data").glob("*.trig"))
    files += sorted((REPO / "tests" / "shapes").glob("*/*.ttl")) + [REPO / "tests" / "queries" / "fixture.ttl"]
    return files


def test_riot_validates_every_shipped_file() -> None:
    files = shipped_files()
    assert len(files) > 10
    result = run("jena-riot.sh", "--validate", *map(str, files))
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert result.returncode == 0 and not errors, result.stderr[-3000:]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, bundled_kg: sck.KnowledgeGraph) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    return {suffix: bundled_kg.export(folder / f"bundled.{suffix}") for suffix in ("ttl", "trig", "nt", "nq", "jsonld", "rdf")}


def parse_with_jena(files: list[Path]) -> dict[str, tuple[str, str]]:
    result = run("jena-batch.sh", "parse", *map(str, files))
    assert result.returncode == 0, result.stderr[-3000:]
    answers = {}
    for line in result.stdout.splitlines():
        name, verdict, detail = line.split("\t", 2)
        answers[name] = (verdict, detail)
    return answers


def test_jena_agrees_on_exports_and_on_broken_fixtures(
    exports: dict[str, Path], bundled_kg: sck.KnowledgeGraph, tmp_path: Path
) -> None:
    broken = {}
    for case in CASES:
        if case.syntax:
            path = tmp_path / case.name
            path.write_bytes(case.content)
            broken[str(path)] = case.id
    answers = parse_with_jena(list(exports.values()) + [Path(p) for p in broken])
    quads = len(bundled_kg)
    triples = len(bundled_kg.to_rdflib())
    for suffix, path in exports.items():
        verdict, count = answers[str(path)]
        assert verdict == "ok", (suffix, count)
        dataset = suffix in ("trig", "nq", "jsonld")
        expected = quads if dataset else triples
        assert int(count) == expected, (suffix, count, expected)
        # rdflib too
        if dataset:
            parsed = Dataset()
            parsed.parse(path, format={"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[suffix])
            assert sum(len(g) for g in parsed.graphs() if g.identifier != parsed.default_graph.identifier) + len(parsed.default_graph) == expected
        else:
            assert len(Graph().parse(path, format={"ttl": "turtle", "nt": "nt", "rdf": "xml"}[suffix])) == expected
    for path, case_id in broken.items():
        assert answers[path][0] == "broken", (case_id, answers[path])


# ---------------------------------------------------------------------------------------
# SHACL
# ---------------------------------------------------------------------------------------


def shapes_for_jena(folder: Path) -> Path:
    """The bundled shapes with one sh:message per node (English): see KNOWN_DIFFERENCES."""
    shapes = Graph().parse(bundled_path("ontology/shapes.ttl"), format="turtle")
    for node in set(shapes.subjects(SH.message, None)):
        messages = list(shapes.objects(node, SH.message))
        if len(messages) > 1:
            keep = next((m for m in messages if isinstance(m, Literal) and m.language == "en"), messages[0])
            for message in messages:
                if message != keep:
                    shapes.remove((node, SH.message, message))
    path = folder / "shapes-for-jena.ttl"
    shapes.serialize(path, format="turtle")
    return path


def test_jena_shacl_agrees_on_every_fixture_and_the_bundled_data(tmp_path: Path, bundled_kg: sck.KnowledgeGraph) -> None:
    fixtures = sorted((REPO / "tests" / "shapes").glob("*/*.ttl"))
    data = tmp_path / "bundled-union.ttl"
    bundled_kg.export(data)  # the union of the bundled graphs, as the library validates it
    vocabulary = [bundled_path("ontology/sistercity.ttl"), bundled_path("ontology/schemes.ttl")]
    result = run(
        "jena-batch.sh", "shacl", str(shapes_for_jena(tmp_path)), *map(str, vocabulary), "--", *map(str, fixtures), str(data)
    )
    assert result.returncode == 0, result.stderr[-3000:]
    jena_conforms: dict[str, bool] = {}
    jena_focus: dict[str, set[str]] = defaultdict(set)
    for line in result.stdout.splitlines():
        name, kind, *rest = line.split("\t")
        if kind == "done":
            jena_conforms[name] = rest[0] == "true"
        elif kind == "Violation":
            jena_focus[name].add(rest[0])
    base = sck.load(include_data=False)
    disagreements = []
    for path in fixtures:
        kg = sck.KnowledgeGraph()
        kg.store.extend(base.store.quads())
        kg.load_file(path)
        report = kg.validate()
        ours = {str(r.focus_node) for r in report.violations}
        theirs = {n.strip("<>") for n in jena_focus[str(path)]}
        expected_conforms = path.parent.name == "valid"
        assert report.conforms is expected_conforms, path.name
        # Jena's sh:conforms is false on warnings too; compare on violations, as the library does
        if (not ours) != (not theirs) or ours != theirs:
            disagreements.append((path.name, sorted(ours - theirs), sorted(theirs - ours)))
    assert not disagreements, disagreements
    bundled_report = bundled_kg.validate()
    assert bundled_report.conforms and not jena_focus[str(data)], sorted(jena_focus[str(data)])[:5]


# ---------------------------------------------------------------------------------------
# ARQ
# ---------------------------------------------------------------------------------------

COMPETENCY_QUERIES = ["cq-interests", "cq-fields-of-cooperation", "cq-timeline", "cq-legal-basis"]


@functools.lru_cache(maxsize=None)
def _rows(csv_text: str) -> frozenset[tuple[str, ...]]:
    reader = csv.reader(io.StringIO(csv_text))
    header = next(reader)
    return frozenset(tuple(row) for row in reader), tuple(header)  # type: ignore[return-value]


@pytest.mark.parametrize("qid", COMPETENCY_QUERIES)
def test_jena_arq_agrees_on_competency_questions(qid: str, tmp_path: Path, bundled_kg: sck.KnowledgeGraph) -> None:
    try:
        query = get_query(qid)
    except sck.UnknownQueryError:
        pytest.skip(f"{qid} is not a bundled query any more")
    text = query.sparql({})
    if not re.search(r"^\s*PREFIX", text, re.MULTILINE | re.IGNORECASE):
        text = sparql_prefixes() + text
    data = bundled_kg.export(tmp_path / "bundled.nt")
    (tmp_path / "q.rq").write_text(text, encoding="utf-8")
    result = run("jena-arq.sh", "--data", str(data), "--query", str(tmp_path / "q.rq"), "--results=csv")
    assert result.returncode == 0, result.stderr[-3000:]
    ours = bundled_kg.sparql(text).to_csv()
    theirs_rows, theirs_header = _rows(result.stdout.replace("\r\n", "\n"))
    ours_rows, ours_header = _rows(ours.replace("\r\n", "\n"))
    assert theirs_header == ours_header
    assert theirs_rows == ours_rows and ours_rows
