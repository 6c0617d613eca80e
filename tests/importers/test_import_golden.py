"""Every statement the importers write, checked against golden N-Quads, and the text they write.

The importers write N-Triples text directly (not through pyoxigraph terms) and load it with
Oxigraph's IRI checks off, in a thread beside the rows for the twin list; these tests hold
that to the statements the term-by-term importers made:

- each case of ``expected/regenerate_importers.py`` gives exactly the lines of ``expected/<case>.nq``
  (written by the importers before they wrote text; rewrite them only on purpose);
- ``nt_string`` is Oxigraph's own literal text for any string, and parses back to it;
- a streamed load adds what a buffered one adds, and an aborted one adds nothing.
"""

from __future__ import annotations

import csv
import importlib.util
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sistercity_kg as sck
from sistercity_kg.importers._common import Quads, nt_string

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
TWIN_GRAPH = ox.NamedNode("https://w3id.org/sistercity-kg/graph/twin-cities")


def _regenerate():
    spec = importlib.util.spec_from_file_location("importers_golden_regenerate", EXPECTED / "regenerate_importers.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


REGENERATE = _regenerate()


@pytest.mark.parametrize("case", sorted(REGENERATE.CASES))
def test_import_gives_the_golden_statements(case: str) -> None:
    # split on "\n" only: literals may hold U+2028 or U+0085, which splitlines() would cut at
    expected = (EXPECTED / f"{case}.nq").read_text(encoding="utf-8").split("\n")[:-1]
    got = REGENERATE.nquads(case)
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    assert not missing and not extra, f"{case}: {len(missing)} missing, e.g. {missing[:3]}; {len(extra)} extra, e.g. {extra[:3]}"
    assert got == expected


def test_the_tricky_fixture_keeps_every_character() -> None:
    """The quote of each row is the CSV line with its quotes, backslashes and line breaks."""
    kg = sck.load(include_data=False)
    kg.import_twin_list(HERE / "twin_tricky.csv")
    quotes = {
        str(r["loc"]): str(r["quote"])
        for r in kg.sparql(
            "PREFIX sck: <https://w3id.org/sistercity-kg/ontology#> SELECT ?loc ?quote WHERE { ?p sck:locator ?loc ; sck:quote ?quote }"
        ).rows
    }
    with open(HERE / "twin_tricky.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    assert quotes["row 2"] == '"Quote ""City""",Back\\slash,1.5,2.5,Tab\tTown,Ünïcødé,3,4'
    assert "Line\nBreak" in quotes["row 3"] and "Country\r\nX" in quotes["row 3"]
    assert "Ctrl\x01\u2028mid\u0085dle\x7f" in quotes["row 5"] and rows[3][0] == "Ctrl\x01\u2028mid\u0085dle\x7f"


_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, lang=st.sampled_from(["", "en", "id"]))
def test_nt_string_is_oxigraphs_literal_text(text: str, lang: str) -> None:
    literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
    mine = nt_string(text) + (f"@{lang}" if lang else "")
    assert mine == str(literal)
    parsed = next(iter(ox.parse(f"<http://example.org/s> <http://example.org/p> {mine} .", format=ox.RdfFormat.N_TRIPLES)))
    assert parsed.object == literal


def test_nt_string_escapes_every_control_character() -> None:
    text = "".join(map(chr, range(0x20))) + '"\\\x7f\u0085\u2028\u2029é'
    assert nt_string(text) == str(ox.Literal(text))
    assert "\n" not in nt_string(text) and "\r" not in nt_string(text)


def _statements(n: int) -> list[tuple[str, str, str]]:
    return [
        (f"<https://example.org/s/{i % 997}>", "<https://example.org/p>", nt_string(f'value "{i}"\n\\ é {i % 13}'))
        for i in range(n)
    ]


def _quads_of(kg: sck.KnowledgeGraph, graph: str | None = None) -> set[str]:
    return {str(q) for q in kg.store.quads(None if graph is None else ox.NamedNode(graph))}


def test_streamed_load_adds_what_a_buffered_load_adds() -> None:
    graph = "https://example.org/graph/streamed"
    buffered, streamed = sck.load(include_data=False), sck.load(include_data=False)
    quads = Quads(graph)
    for s, p, o in _statements(5000):
        quads.add_nt(s, p, o)
    assert quads.commit(buffered) == len(quads) == 5000
    quads = Quads(graph)
    quads.stream(streamed)
    for i, (s, p, o) in enumerate(_statements(5000) + _statements(2000)):  # the repeats are dropped
        quads.add_nt(s, p, o)
        if i % 700 == 0:
            quads.flush()
    assert quads.commit(streamed) == 5000
    assert _quads_of(streamed, graph) == _quads_of(buffered, graph)
    assert not [t for t in threading.enumerate() if t.name == "sistercity-kg import"]


def test_feed_sends_half_a_pipe_at_a_time() -> None:
    """Lines go to the loader once there are ``lines_per_send`` of them, not one row at a time."""
    kg = sck.load(include_data=False)
    quads = Quads("https://example.org/graph/fed")
    quads.stream(kg)
    if quads._loader is None:  # pragma: no cover - no /dev/fd
        pytest.skip("no /dev/fd here: an import is loaded at its end, not streamed")
    due = quads._loader.lines_per_send
    assert 64 <= due <= (1 << 20) // 2 // 200
    statements = _statements(due + 1)
    for s, p, o in statements[: due - 1]:
        quads.add_nt(s, p, o)
        quads.feed()
    assert len(quads) == due - 1  # nothing sent yet: the lines still wait in the buffer
    quads.add_nt(*statements[due - 1])
    quads.feed()
    assert len(quads) == 0  # all sent, and dropped from the buffer
    quads.add_nt(*statements[due])
    quads.feed()
    assert len(quads) == 1
    assert quads.commit(kg) == due + 1


def test_aborted_stream_adds_nothing() -> None:
    kg = sck.load(include_data=False)
    before = _quads_of(kg)
    quads = Quads("https://example.org/graph/aborted")
    quads.stream(kg)
    for s, p, o in _statements(3000):
        quads.add_nt(s, p, o)
    quads.flush()  # the loader has read (some of) these before the abort
    quads.abort()
    assert _quads_of(kg) == before
    assert not [t for t in threading.enumerate() if t.name == "sistercity-kg import"]


def test_twin_list_error_after_rows_were_sent_adds_nothing(tmp_path: Path) -> None:
    """An error while rows are made (here from the progress callback at row 1000, after the
    loader was sent the first ~20,000 lines, half a pipe at a time) leaves the graph exactly as it was."""
    path = tmp_path / "many.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"])
        for i in range(1200):
            writer.writerow([f"Town {i}", "Northland", "1.5", "2.5", f"Village {i % 300}", "Southland", "-3", "4"])
    kg = sck.load()
    before = _quads_of(kg)

    def progress(done: int, total: int) -> None:
        if done >= 999:
            raise KeyboardInterrupt  # what Ctrl-C during an import raises

    with pytest.raises(KeyboardInterrupt):
        kg.import_twin_list(path, progress=progress)
    assert _quads_of(kg) == before
    assert not [t for t in threading.enumerate() if t.name == "sistercity-kg import"]
    result = kg.import_twin_list(path)  # and the same file then imports in full
    assert result.rows == 1200 and not result.skipped
    partnerships = kg.sparql(
        f"SELECT DISTINCT ?p WHERE {{ GRAPH <{TWIN_GRAPH.value}> {{ ?p a <https://w3id.org/sistercity-kg/ontology#Partnership> }} }}"
    ).rows
    assert len(partnerships) == 1200


def test_streamed_into_a_store_on_disk_and_refused_by_a_read_only_one(tmp_path: Path) -> None:
    expected = (EXPECTED / "twin_tricky.nq").read_text(encoding="utf-8").split("\n")[:-1]
    folder = tmp_path / "kg"
    with sck.open(folder) as kg:
        for path in sck.resources.ontology_files():
            kg.load_file(path)
        kg.import_twin_list(HERE / "twin_tricky.csv")
        assert sorted({f"{q} ." for q in kg.store.quads(TWIN_GRAPH)}) == expected
        size = len(kg)
    with sck.open(folder, read_only=True) as reader:
        # the load fails in its thread before reading a line; the error is the caller's
        with pytest.raises(sck.StoreError, match="read-only"):
            reader.import_twin_list(HERE / "twin_excerpt.csv")
        assert len(reader) == size
    assert not [t for t in threading.enumerate() if t.name == "sistercity-kg import"]
