"""Rewrite ``expected/<id>.json`` from the fixture graph: run after changing a query on purpose.

    .venv/bin/python tests/queries/regenerate.py

The expected answers are golden files: review the diff before committing it, since a changed
answer is exactly what tests/test_queries.py exists to catch.
"""

from __future__ import annotations

from pathlib import Path

import sistercity_kg as sck

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixture.ttl"
FIXTURE_SOURCES = HERE / "fixture-sources.trig"
EXPECTED = HERE / "expected"


def fixture_graph() -> sck.KnowledgeGraph:
    """The bundled ontology and schemes plus the frozen fixture data (no bundled data)."""
    kg = sck.load(include_data=False)
    kg.load_file(FIXTURE)
    kg.load_file(FIXTURE_SOURCES)
    return kg


def main() -> None:
    kg = fixture_graph()
    EXPECTED.mkdir(exist_ok=True)
    for query in sck.queries():
        if query.expects_no_rows:
            continue
        target = EXPECTED / f"{query.id}.json"
        target.write_text(kg.query(query.id).to_json() + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
