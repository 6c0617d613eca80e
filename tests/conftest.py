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
