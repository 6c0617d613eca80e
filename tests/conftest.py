"""Shared fixtures: the bundled knowledge graph, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import sistercity_kg as sck
from servers.fixtures import oxigraph_server, sparql_server, virtuoso_server  # noqa: F401 - real SPARQL servers

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def bundled_kg() -> sck.KnowledgeGraph:
    """The bundled ontology, schemes and data. Tests must not modify it; use ``fresh_kg``."""
    return sck.load()


@pytest.fixture
def fresh_kg() -> sck.KnowledgeGraph:
    """A new copy of the bundled graph that a test may change."""
    return sck.load()


@pytest.fixture(scope="session")
def thesis_kg() -> sck.KnowledgeGraph:
    """The ontology, schemes and the thesis layer only (data/bandung-seoul.ttl): tests about what
    the thesis chapter says. Tests must not modify it; use ``fresh_thesis_kg``."""
    return sck.load(layers=["bandung-seoul"])


@pytest.fixture
def fresh_thesis_kg() -> sck.KnowledgeGraph:
    """A new copy of the thesis layer (with the ontology and schemes) that a test may change."""
    return sck.load(layers=["bandung-seoul"])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Close the W3C SHACL suite's run with its own ``N passed, N failed`` line."""
    import sys

    module = sys.modules.get("tests.test_w3c_shacl") or sys.modules.get("test_w3c_shacl")
    outcomes = getattr(module, "OUTCOMES", None)
    if outcomes:
        terminalreporter.write_line(f"w3c-shacl: {outcomes['passed']} passed, {outcomes['failed']} failed")
