"""The benchmark script in quick mode (10k triples, one run), so that it cannot rot.

Timings are never asserted (they depend on the machine and its load). What is checked is that
every section ran and that the checks the script makes itself hold: the fast engine finds exactly
the injected violations and gives the same report as pySHACL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_generator_is_deterministic_with_known_violations():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from generate import INJECTED, generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    text, stats = generate(3000, seed=3)
    again, _ = generate(3000, seed=3)
    other, _ = generate(3000, seed=4)
    assert text == again and text != other
    assert stats.triples >= 3000 and stats.violations == sum(stats.by_kind.values()) > 0
    assert set(stats.by_kind) <= set(INJECTED)


def test_quick_benchmark_runs_every_section():
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--quick"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    for section in ("load (parse Turtle)", "validate (SHACL Core part of the shapes)", "query cq-partners",
                    "infer (rules to a fixpoint)", "actors network", "export Turtle", "memory after load",
                    "summary, cold start"):
        assert section in out, section
    assert "violations found 17 == injected 17: True" in out
    assert "same report as pySHACL" in out
