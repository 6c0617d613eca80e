"""Load: concurrent readers while one writer loads a large file, on every kind of store.

Each test keeps 8 readers querying one store while one writer loads a generated N-Triples file
(52,325 triples: city governments, sister-city partnerships and cooperation activities in the
model's shape, written into ``tmp_path``) into a new named graph in one transaction. A reader's
round is three queries: ``cq-partners`` (about the bundled graphs only), ``cq-activities-by-status``
(which the file extends) and one query that counts, in a single snapshot, both the triples of the
loading graph and the cooperation activities. The answers before and after the load are computed
first on an in-memory store without any concurrency.

Concurrency guarantees verified here
    - In memory and on disk, one :class:`~sistercity_kg.KnowledgeGraph` shared by 8 threads: no
      query raises while a load runs; every answer equals the answer before the load or the one
      after it: the loading graph has 0 or N triples, never in between, and within one query the
      loading graph and the activities come from the same snapshot; answers about the bundled graphs
      never change; the final state has everything. Rounds do run during the load (pyoxigraph
      releases the GIL while it loads and queries); the test asserts that some did.
    - On disk, 8 processes each open the folder read-only (``sck.open(path, read_only=True)``)
      again and again while the main process loads: each opening sees the store whole, as it was
      before the load or after it. pyoxigraph calls a read-only open beside a writing process
      "undefined behavior"; in practice RocksDB may name a table file the writer has just replaced
      ("Corruption: ... No such file or directory"): this test failed on every run until
      ``EmbeddedStore`` retried such openings (``stores/embedded.py: _open_read_only``).
    - An Oxigraph server (``sck.connect``): 8 threads sharing one connection query over HTTP while
      another connection loads a smaller file (12,075 triples; Graph Store POST into a temporary
      graph, then one ``ADD`` update): every answer is before or after, never a part of the file.

Bounds (2 shared cores): readers pause between rounds so the writer gets its share; a reader reads
at most MAX_ROUNDS rounds or DEADLINE_S seconds, then waits for the writer (at most WRITE_TIMEOUT_S)
and reads once more; threads are joined and processes waited for with timeouts, and processes that
overrun are killed by their own id. The whole file takes ~15-30 s depending on the machine's load.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import sistercity_kg as sck
from sistercity_kg.namespaces import SCKG

#: Readers (threads or processes) and the size of the generated file, in partnerships.
READERS = 8
PARTNERSHIPS = 6500
#: Triples per generated partnership: 3 for a city government, 5 for the partnership, and one
#: cooperation activity (5 triples) every 100 partnerships: 52,325 triples in all.
TRIPLES_PER_PARTNERSHIP = 3 + 5
ACTIVITY_EVERY = 100
LOADING_GRAPH = str(SCKG["concurrent-load"])
#: Bounds: a reader reads for at most this many rounds or seconds, then waits (without reading)
#: for the writer, at most WRITE_TIMEOUT_S, and reads once more.
MAX_ROUNDS = 400
DEADLINE_S = 10.0
WRITE_TIMEOUT_S = 60.0
#: Readers pause this long between rounds, so that on 2 cores the writer still gets its share
#: (a process reopens the store every round, which costs more: it pauses longer).
PAUSE_S = 0.2
PROCESS_PAUSE_S = 0.3
#: Over HTTP the writer sends every triple through Python, competing for the GIL with the readers:
#: the server test loads a smaller file (12,075 triples), so the whole file stays within ~30 s.
SERVER_PARTNERSHIPS = 1500

SCK = "https://w3id.org/sistercity-kg/ontology#"
ID = "https://w3id.org/sistercity-kg/id/"
CONCEPT = "https://w3id.org/sistercity-kg/concept/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: One snapshot, two facts: the size of the loading graph and the number of activities.
SNAPSHOT_QUERY = f"""
SELECT ?triples ?activities WHERE {{
  {{ SELECT (COUNT(*) AS ?triples) WHERE {{ GRAPH <{LOADING_GRAPH}> {{ ?s ?p ?o }} }} }}
  {{ SELECT (COUNT(DISTINCT ?a) AS ?activities) WHERE {{ ?a a sck:CooperationActivity }} }}
}}"""


def write_generated(path: Path, partnerships: int = PARTNERSHIPS) -> int:
    """Write an N-Triples file of generated partnerships in the model's shape; returns its triple count.

    City ``i`` is in partnership ``i`` with city ``i + 1`` (a ring); every hundredth partnership has an
    ongoing cultural activity. No generated IRI is a bundled one, so bundled answers stay the same.
    """
    lines: list[str] = []
    for i in range(partnerships):
        city = f"<{ID}actor/load-test-city-{i}>"
        partnership = f"<{ID}partnership/load-test-twinning-{i}>"
        lines += [
            f"{city} <{RDF_TYPE}> <{SCK}CityGovernment> .",
            f'{city} <{RDFS_LABEL}> "Load-test city {i}"@en .',
            f"{city} <{SCK}country> <{ID}country/load-test-country-{i % 50}> .",
            f"{partnership} <{RDF_TYPE}> <{SCK}Partnership> .",
            f"{partnership} <{SCK}partner> {city} .",
            f"{partnership} <{SCK}partner> <{ID}actor/load-test-city-{(i + 1) % partnerships}> .",
            f"{partnership} <{SCK}partnershipType> <{CONCEPT}partnership-type/sister-city> .",
            f'{partnership} <{RDFS_LABEL}> "Load-test twinning {i}"@en .',
        ]
        if i % ACTIVITY_EVERY == 0:
            activity = f"<{ID}activity/load-test-festival-{i}>"
            lines += [
                f"{activity} <{RDF_TYPE}> <{SCK}CooperationActivity> .",
                f'{activity} <{RDFS_LABEL}> "Load-test festival {i}"@en .',
                f"{activity} <{SCK}partOf> {partnership} .",
                f"{activity} <{SCK}field> <{CONCEPT}field/culture> .",
                f"{activity} <{SCK}status> <{CONCEPT}status/ongoing> .",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def digest(result: sck.QueryResult) -> str:
    """A short fingerprint of a SELECT answer (rows in order, terms by their N-Triples form)."""
    text = "\n".join(
        "\t".join(row[v].n3() if v in row else "-" for v in result.variables) for row in result.rows
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def answers(kg: sck.KnowledgeGraph) -> dict[str, object]:
    """One round of reading: what every reader asks, in a comparable form."""
    snap = kg.sparql(SNAPSHOT_QUERY).rows[0]
    return {
        "snapshot": (int(snap["triples"]), int(snap["activities"])),
        "cq-partners": digest(kg.query("cq-partners")),
        "cq-activities-by-status": digest(kg.query("cq-activities-by-status")),
    }


def bundled_files() -> list[Path]:
    from sistercity_kg.resources import data_files, ontology_files

    return [*ontology_files(), *data_files()]


def load_bundled(kg: sck.KnowledgeGraph) -> sck.KnowledgeGraph:
    for path in bundled_files():
        kg.load_file(path)
    return kg


def reference_answers(path: Path, n: int, partnerships: int) -> dict[str, dict[str, object]]:
    """The answers before and after loading ``path``, on an in-memory store without any concurrency."""
    kg = sck.load()
    before = answers(kg)
    assert kg.load_file(path, graph=LOADING_GRAPH) == n
    after = answers(kg)
    # The file changes what it should, and only that: the test could not tell before from after otherwise.
    assert before["snapshot"][0] == 0 and after["snapshot"][0] == n
    assert after["snapshot"][1] == before["snapshot"][1] + -(-partnerships // ACTIVITY_EVERY)
    assert before["cq-activities-by-status"] != after["cq-activities-by-status"]
    assert before["cq-partners"] == after["cq-partners"]
    return {"before": before, "after": after}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The generated file and its number of triples."""
    path = tmp_path_factory.mktemp("load") / "generated.nt"
    return path, write_generated(path)


@pytest.fixture(scope="module")
def reference(generated: tuple[Path, int]) -> dict[str, dict[str, object]]:
    """The answers before and after loading the generated file."""
    return reference_answers(*generated, PARTNERSHIPS)


# -- threads -------------------------------------------------------------------------


@dataclass
class Run:
    """What the readers saw and when the writer ran."""

    seen: list[tuple[float, float, dict[str, object]]] = field(default_factory=list)  # (start, end, answers)
    errors: list[BaseException] = field(default_factory=list)
    load_started: float = 0.0
    load_ended: float = 0.0

    def during_load(self) -> int:
        """Rounds in flight while the load ran (started before it ended, ended after it began)."""
        return sum(1 for start, end, _ in self.seen if start < self.load_ended and end > self.load_started)


def run_threads(read: Callable[[], dict[str, object]], write: Callable[[], object]) -> Run:
    """8 reader threads loop over ``read`` while one writer thread runs ``write`` once.

    The writer starts once every reader has finished a round; readers read until the writer has
    finished (at most MAX_ROUNDS rounds or DEADLINE_S seconds), then read one round more.
    """
    run = Run()
    lock = threading.Lock()
    warmed = threading.Barrier(READERS + 1, timeout=DEADLINE_S)
    written = threading.Event()
    deadline = time.monotonic() + DEADLINE_S

    def one_round() -> None:
        start = time.monotonic()
        got = read()
        with lock:
            run.seen.append((start, time.monotonic(), got))

    def reader() -> None:
        try:
            one_round()
            warmed.wait()
            # Straight after the barrier every reader is querying as the load starts; then paced.
            for _ in range(MAX_ROUNDS):
                if written.is_set() or time.monotonic() > deadline:
                    break
                one_round()
                written.wait(timeout=PAUSE_S)
            if written.wait(timeout=WRITE_TIMEOUT_S):
                one_round()  # the state after the load
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            with lock:
                run.errors.append(exc)
            warmed.abort()

    def writer() -> None:
        try:
            warmed.wait()
            run.load_started = time.monotonic()
            write()
            run.load_ended = time.monotonic()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            with lock:
                run.errors.append(exc)
        finally:
            written.set()

    threads = [threading.Thread(target=reader, name=f"reader-{i}", daemon=True) for i in range(READERS)]
    threads.append(threading.Thread(target=writer, name="writer", daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic() + WRITE_TIMEOUT_S + 5))
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads still running after the deadline: {stuck}"
    return run


def check(run: Run, reference: dict[str, dict[str, object]], final: dict[str, object]) -> None:
    """No errors; every answer before or after; the final state is the after state."""
    assert not run.errors, f"{len(run.errors)} errors, first: {run.errors[0]!r}"
    before, after = reference["before"], reference["after"]
    for key in before:
        allowed = {repr(before[key]), repr(after[key])}
        odd = [got[key] for _, _, got in run.seen if repr(got[key]) not in allowed]
        assert not odd, f"{key}: {len(odd)} answers neither before nor after the load, e.g. {odd[0]!r}"
    assert final == after
    # Both sides of the load were observed, so the check above compared something.
    snapshots = {got["snapshot"] for _, _, got in run.seen}
    assert before["snapshot"] in snapshots and after["snapshot"] in snapshots


@pytest.mark.parametrize("kind", ["memory", "disk"])
def test_threads_query_an_embedded_store_while_it_loads(
    kind: str, generated: tuple[Path, int], reference: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    path, n = generated
    kg = load_bundled(sck.KnowledgeGraph() if kind == "memory" else sck.open(tmp_path / "store"))
    added: list[int] = []
    with kg:
        run = run_threads(lambda: answers(kg), lambda: added.append(kg.load_file(path, graph=LOADING_GRAPH)))
        check(run, reference, answers(kg))
        assert added == [n]
    # pyoxigraph releases the GIL while it loads and queries: readers really ran during the load.
    assert run.during_load() > 0, f"no round ran during the load ({run.load_ended - run.load_started:.2f} s)"
    print(f"{kind}: {len(run.seen)} rounds ({3 * len(run.seen)} queries), {run.during_load()} during the "
          f"load of {n} triples ({run.load_ended - run.load_started:.2f} s)")


# -- processes -------------------------------------------------------------------------


def reader_process(folder: str, done: str, out: str) -> None:
    """A reader process: open the store read-only, read a round, close; again until ``done`` exists.

    Prints "ready" after the first round; reads at most MAX_ROUNDS rounds or DEADLINE_S seconds,
    then waits for ``done`` (at most WRITE_TIMEOUT_S) and reads once more. Writes a JSON list of the
    rounds' answers to ``out``.
    """
    seen: list[dict[str, object]] = []

    def one_round() -> None:
        start = time.time()  # wall-clock time: comparable across processes
        with sck.open(folder, read_only=True) as kg:
            got = answers(kg)
        seen.append({"start": start, "end": time.time(), **got})

    one_round()
    print("ready", flush=True)
    deadline = time.monotonic() + DEADLINE_S
    for _ in range(MAX_ROUNDS):
        if os.path.exists(done) or time.monotonic() > deadline:
            break
        time.sleep(PROCESS_PAUSE_S)
        one_round()
    waited = time.monotonic() + WRITE_TIMEOUT_S
    while not os.path.exists(done) and time.monotonic() < waited:
        time.sleep(0.02)
    one_round()  # the state after the load (or, if the writer overran, a failing check)
    Path(out).write_text(json.dumps(seen), encoding="utf-8")


def test_processes_open_an_on_disk_store_read_only_while_it_loads(
    generated: tuple[Path, int], reference: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    path, n = generated
    folder, done = tmp_path / "store", tmp_path / "done"
    kg = load_bundled(sck.open(folder))
    kg.store.oxigraph.flush()
    procs: list[subprocess.Popen[str]] = []
    try:
        for i in range(READERS):
            code = (
                f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                f"from test_concurrent_load import reader_process; "
                f"reader_process({str(folder)!r}, {str(done)!r}, {str(tmp_path / f'seen-{i}.json')!r})"
            )
            procs.append(
                subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            )
        for proc in procs:  # every reader has read the store before the load
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        started = time.time()
        assert kg.load_file(path, graph=LOADING_GRAPH) == n
        ended = time.time()
        # Until flushed, the load is in RocksDB's write-ahead log (~40 MB), which every read-only
        # opening replays (~1 s each); the readers' last rounds would pay for it.
        kg.store.oxigraph.flush()
        done.touch()
        for proc in procs:
            _, err = proc.communicate(timeout=DEADLINE_S + WRITE_TIMEOUT_S + 10)
            assert proc.returncode == 0, err[-2000:]
        final = answers(kg)
    finally:
        kg.close()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    seen = [got for i in range(READERS) for got in json.loads((tmp_path / f"seen-{i}.json").read_text())]
    for got in seen:  # JSON made the snapshot pair a list
        got["snapshot"] = tuple(got["snapshot"])
    run = Run(seen=[(got.pop("start"), got.pop("end"), got) for got in seen], load_started=started, load_ended=ended)
    check(run, reference, final)
    assert run.during_load() > 0, f"no read-only opening during the load ({ended - started:.2f} s)"
    print(f"processes: {len(seen)} read-only openings ({3 * len(seen)} queries), {run.during_load()} during "
          f"the load ({ended - started:.2f} s)")


# -- a SPARQL server ---------------------------------------------------------------------


@pytest.mark.slow
def test_threads_query_an_oxigraph_server_while_another_client_loads(oxigraph_server: object, tmp_path: Path) -> None:
    from servers.fixtures import Server, wipe

    server: Server = oxigraph_server  # type: ignore[assignment]
    path = tmp_path / "generated.nt"
    n = write_generated(path, SERVER_PARTNERSHIPS)
    reference = reference_answers(path, n, SERVER_PARTNERSHIPS)
    wipe(server)
    try:
        writer = sck.connect(server.query, graph_store_endpoint=server.graph_store, **server.connect_options())
        sck.load().push(writer)
        graphs = [str(g) for g in sck.load().graph_names()] + [LOADING_GRAPH]
        # One connection shared by the 8 readers; its scope names the loading graph from the start.
        readers = sck.connect(server.query, graph=graphs, **server.connect_options())
        added: list[int] = []
        run = run_threads(lambda: answers(readers), lambda: added.append(writer.load_file(path, graph=LOADING_GRAPH)))
        check(run, reference, answers(readers))
        assert added == [n]
        print(f"server: {len(run.seen)} rounds ({3 * len(run.seen)} queries over HTTP), {run.during_load()} during "
              f"the load ({run.load_ended - run.load_started:.2f} s)")
    finally:
        wipe(server)
