"""The on-disk store (``sck.open``): persistence, read-only readers in other processes, atomic loads
(also when the writing process is killed), all-or-nothing pushes, and the ``load``/``push`` CLI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

import sistercity_kg as sck
from servers.fixtures import Server
from sistercity_kg.cli import main
from sistercity_kg.stores import TMP_GRAPH_PREFIX, EmbeddedStore

EX = "https://example.org/sistercity-kg-tests/id/"
G = URIRef("https://example.org/sistercity-kg-tests/one")


def write_ntriples(path: Path, n: int, *, tag: str = "") -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(f'<{EX}s{i}> <{EX}p> "{tag}value {i}" .\n')
    return path


def run_python(code: str, *, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout)


def test_a_store_on_disk_keeps_everything_across_reopening(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    with sck.open(folder) as kg:
        for path in sck.resources.ontology_files():
            kg.load_file(path)
        names, size = kg.graph_names(), len(kg)
    assert size > 0
    with sck.open(folder) as again:
        assert again.graph_names() == names and len(again) == size
        assert again.validate().conforms


def test_closing_releases_the_folder_and_closed_stores_refuse_work(tmp_path: Path) -> None:
    kg = sck.open(tmp_path / "kg")
    kg.add([(URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b"))], graph=G)
    with pytest.raises(sck.StoreError, match="read_only=True"):
        EmbeddedStore(tmp_path / "kg")  # this process still holds it open for writing
    kg.close()
    with pytest.raises(sck.StoreError, match="closed"):
        len(kg)
    with sck.open(tmp_path / "kg") as again:  # the lock is gone
        assert len(again) == 1


def test_missing_store_without_create_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(sck.StoreError, match="no store there"):
        sck.open(tmp_path / "nothing", create=False)
    with pytest.raises(sck.StoreError, match="no store there"):
        sck.open(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


def test_a_second_process_reads_while_the_first_holds_it_for_writing(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    with sck.open(folder) as writer:
        writer.add([(URIRef(EX + f"s{i}"), URIRef(EX + "p"), URIRef(EX + "o")) for i in range(5)], graph=G)
        reader = run_python(
            f"""
            import sistercity_kg as sck
            with sck.open({str(folder)!r}, read_only=True) as kg:
                print(len(kg), int(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}").rows[0]["n"]))
                try:
                    kg.add([], graph="urn:x")
                except sck.StoreError as exc:
                    print("refused:", exc)
            """
        )
        assert reader.returncode == 0, reader.stderr
        lines = reader.stdout.splitlines()
        assert lines[0] == "5 5"
        assert lines[1].startswith("refused:") and "read-only" in lines[1]
        writer.add([(URIRef(EX + "late"), URIRef(EX + "p"), URIRef(EX + "o"))], graph=G)  # still writable
        assert len(writer) == 6


def test_a_load_killed_half_way_leaves_all_of_the_file_or_none(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    with sck.open(folder) as kg:
        kg.add([(URIRef(EX + "before"), URIRef(EX + "p"), URIRef(EX + "o"))], graph=G)
    big = write_ntriples(tmp_path / "big.nt", 100_000)
    code = f"""
        import sys, sistercity_kg as sck
        kg = sck.open({str(folder)!r})
        print("loading", flush=True)
        kg.load_file({str(big)!r}, graph="https://example.org/sistercity-kg-tests/big")
        print("loaded", flush=True)
        kg.close()
    """
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "loading"
        time.sleep(0.5)
        finished_first = proc.poll() is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        rest = proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not finished_first and "loaded" not in rest, "the load finished before the kill: make the file bigger"
    with sck.open(folder) as kg:
        big_count = kg.store.count(ox.NamedNode("https://example.org/sistercity-kg-tests/big"))
        assert big_count in (0, 100_000)
        assert kg.store.count(ox.NamedNode(str(G))) == 1


def test_a_failed_load_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> ", encoding="utf-8")
    with sck.open(tmp_path / "kg") as kg:
        with pytest.raises(sck.RdfSyntaxError):
            kg.load_file(bad)
        assert len(kg) == 0


def test_an_interrupted_push_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    with sck.open(tmp_path / "kg") as target:
        target.add([(URIRef(EX + "old"), URIRef(EX + "p"), URIRef(EX + "o"))], graph=G)

        def quads_then_failure():  # a source that breaks half-way, as a lost connection would
            for i in range(1000):
                yield ox.Quad(ox.NamedNode(EX + f"new{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)), ox.NamedNode(str(G)))
            raise ConnectionError("the source went away")

        with pytest.raises(ConnectionError):
            target.store.replace_graphs({ox.NamedNode(str(G)): quads_then_failure()})
        assert [str(s) for s, _, _ in target.triples()] == [EX + "old"]
        assert not any(str(g).startswith(TMP_GRAPH_PREFIX) for g in target.store.oxigraph.named_graphs())


def test_leftovers_of_a_killed_push_are_dropped_on_reopening(tmp_path: Path) -> None:
    folder = tmp_path / "kg"
    raw = ox.Store(str(folder))  # what a push killed between staging and swapping leaves
    raw.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x"), ox.NamedNode(TMP_GRAPH_PREFIX + "abc/0")))
    raw.flush()
    del raw
    with sck.open(folder) as kg:
        assert len(kg) == 0 and kg.graph_names() == []
        assert len(kg.store.oxigraph) == 0


def test_push_into_an_on_disk_store_replaces_the_graphs(tmp_path: Path) -> None:
    source = sck.load()
    with sck.open(tmp_path / "kg") as target:
        target.add([(URIRef(EX + "stale"), URIRef(EX + "p"), URIRef(EX + "o"))], graph=sck.SCKG["bandung-seoul"])
        target.add([(URIRef(EX + "kept"), URIRef(EX + "p"), URIRef(EX + "o"))], graph=G)
        assert source.push(target) == len(source)
        assert len(target) == len(source) + 1  # the other graph is left alone
        assert (URIRef(EX + "stale"), URIRef(EX + "p"), URIRef(EX + "o")) not in set(target.triples())
    assert source.push(str(tmp_path / "kg")) == len(source)  # a folder given by name


def test_cli_load_into_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_ntriples(tmp_path / "few.nt", 3)
    assert main(["load", str(data), "--store", str(tmp_path / "kg")]) == 0
    assert "3 statements added" in capsys.readouterr().out
    with sck.open(tmp_path / "kg", read_only=True) as kg:
        assert kg.graph_names() == [sck.SCKG["few"]] and len(kg) == 3


@pytest.mark.slow
def test_cli_push_to_a_server(oxigraph_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from servers.fixtures import wipe

    wipe(oxigraph_server)
    try:
        code = main(["push", oxigraph_server.query, "--update-url", oxigraph_server.update])
        assert code == 0
        assert "Pushed" in capsys.readouterr().out
        with sck.connect(oxigraph_server.query) as kg:
            assert len(kg) == len(sck.load())
        # an unreachable server: exit 2 and one line naming the endpoint
        assert main(["push", "http://127.0.0.1:9/sparql", "--timeout", "2"]) == 2
        assert "http://127.0.0.1:9/sparql" in capsys.readouterr().err
    finally:
        wipe(oxigraph_server)
