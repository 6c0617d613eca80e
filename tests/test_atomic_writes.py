"""Writes are atomic: a process killed (SIGKILL) while exporting leaves the target file either as
it was or complete, never half-written.

Each run starts a child process that builds a generated graph of 100,000 quads and exports it
over an existing file; the parent kills it

- as soon as the temporary file appears in the folder (the kill lands mid-write: the payload is
  ~10 MB, written and fsync'ed before the rename), and
- at a random moment of the export (anywhere: before, during or after the write).

The kill test of the on-disk store is tests/test_stores_embedded.py
(test_a_load_killed_half_way_leaves_all_of_the_file_or_none).

Set ``SISTERCITY_KG_KILL_RUNS=20`` to repeat each kill test 20 times (default: 1).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import sistercity_kg as sck

RUNS = int(os.environ.get("SISTERCITY_KG_KILL_RUNS", "1"))
QUADS = 100_000
OLD = b"<urn:ex:old> <urn:ex:p> <urn:ex:o> <https://example.org/old> .\n"

CHILD = """
    import sys, time
    import sistercity_kg as sck
    target = sys.argv[1]
    kg = sck.KnowledgeGraph()
    lines = "".join(f'<urn:ex:s{{i}}> <urn:ex:p> "value {{i}}" .\\n' for i in range({quads}))
    kg.load_data(lines, format="n-triples", graph="https://example.org/big")
    print("exporting", flush=True)
    kg.export(target)
    print("exported", flush=True)
"""


def _start(target: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(CHILD.format(quads=QUADS))
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "exporting"
    return proc


def _kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def _check_old_or_new(target: Path) -> str:
    content = target.read_bytes()
    if content == OLD:
        return "old"
    lines = content.split(b"\n")
    assert content.endswith(b"\n") and len(lines) == QUADS + 1, f"half-written: {len(content)} bytes"
    kg = sck.KnowledgeGraph()
    assert kg.load_file(target) == QUADS
    return "new"


@pytest.mark.parametrize("run", range(RUNS))
def test_export_killed_mid_write_leaves_old_or_new(run: int, tmp_path: Path) -> None:
    target = tmp_path / "graph.nq"
    target.write_bytes(OLD)
    proc = _start(target)
    landed = False
    try:
        while proc.poll() is None:
            if any(name.startswith(".graph.nq.") for name in os.listdir(tmp_path)):
                os.kill(proc.pid, signal.SIGKILL)
                landed = True
                break
            time.sleep(0.0002)
    finally:
        _kill(proc)
    assert landed, "the export finished before the temporary file was seen"
    assert _check_old_or_new(target) == "old"  # killed before the rename: the old file
    # what a killed writer leaves behind is its temporary file, never a broken target
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "graph.nq"]
    assert all(name.startswith(".graph.nq.") and name.endswith(".tmp") for name in leftovers)


@pytest.mark.parametrize("run", range(RUNS))
def test_export_killed_at_a_random_moment_leaves_old_or_new(run: int, tmp_path: Path) -> None:
    target = tmp_path / "graph.nq"
    target.write_bytes(OLD)
    proc = _start(target)
    try:
        time.sleep(random.uniform(0.0, 1.5))
    finally:
        _kill(proc)
    assert _check_old_or_new(target) in ("old", "new")


def test_export_completes_when_not_killed(tmp_path: Path) -> None:
    """The same child, left alone, replaces the old file with the whole new one."""
    target = tmp_path / "graph.nq"
    target.write_bytes(OLD)
    proc = _start(target)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "exported"
    proc.wait(timeout=60)
    assert _check_old_or_new(target) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq"]


def test_templates_written_atomically_keep_a_good_file(tmp_path: Path) -> None:
    """write_templates goes through atomic_write_bytes: an existing template is replaced whole."""
    from sistercity_kg.importers.table import write_templates

    (tmp_path / "agreements.csv").write_text("old,header\n", encoding="utf-8")
    written = write_templates(tmp_path)
    assert (tmp_path / "agreements.csv").read_text(encoding="utf-8").startswith("partnership_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)
