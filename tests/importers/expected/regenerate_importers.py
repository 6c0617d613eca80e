"""Rewrite the golden N-Quads of the importer fixtures: run after changing an importer on purpose.

    .venv/bin/python tests/importers/expected/regenerate_importers.py

Each ``<case>.nq`` holds every statement one import case adds to its named graph, as sorted
N-Quads (``tests/importers/test_import_golden.py`` compares them line by line). These are
golden files: review the diff before committing it, since a changed statement is exactly what
the test exists to catch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pyoxigraph as ox

import sistercity_kg as sck

EXPECTED = Path(__file__).resolve().parent
FIXTURES = EXPECTED.parent

TABLES = "https://w3id.org/sistercity-kg/graph/imported"

#: case -> (graph to start from, imports to run, the named graph whose statements are kept)
CASES: dict[str, tuple[Callable[[], sck.KnowledgeGraph], tuple[Callable[[sck.KnowledgeGraph], object], ...], str]] = {
    # quotes, backslashes, tabs and line breaks inside cells, control characters, non-ASCII
    # names, odd numbers ("nan", "1e5", "1_000", "+7.25"), spellings giving one slug, and the
    # rows the importer skips
    "twin_tricky": (
        lambda: sck.load(include_data=False),
        (lambda kg: kg.import_twin_list(FIXTURES / "twin_tricky.csv"),),
        "https://w3id.org/sistercity-kg/graph/twin-cities",
    ),
    # into the bundled graph: Bandung, Seoul, Indonesia ... are reused, labels are not repeated
    "twin_excerpt_bundled": (
        sck.load,
        (lambda kg: kg.import_twin_list(FIXTURES / "twin_excerpt.csv"),),
        "https://w3id.org/sistercity-kg/graph/twin-cities",
    ),
    "bandung_seoul_tables": (
        lambda: sck.load(include_data=False),
        (
            lambda kg: kg.import_table(FIXTURES / "bandung-seoul" / "agreements.csv", graph=TABLES),
            lambda kg: kg.import_table(FIXTURES / "bandung-seoul" / "activities.csv", graph=TABLES),
        ),
        TABLES,
    ),
    "wikidata_p190": (
        lambda: sck.load(include_data=False),
        (lambda kg: kg.import_wikidata(FIXTURES / "wikidata_p190.json"),),
        "https://w3id.org/sistercity-kg/graph/wikidata",
    ),
}


def nquads(case: str) -> list[str]:
    """The sorted N-Quads lines of ``case``'s graph after its imports."""
    start, imports, graph = CASES[case]
    kg = start()
    for run in imports:
        run(kg)
    name = ox.NamedNode(graph)
    return sorted({f"{q.subject} {q.predicate} {q.object} {name} ." for q in kg.store.quads(name)})


def main() -> None:
    for case in CASES:
        target = EXPECTED / f"{case}.nq"
        target.write_text("".join(line + "\n" for line in nquads(case)), encoding="utf-8", newline="\n")
        print(f"wrote {target.relative_to(FIXTURES.parent.parent)}")


if __name__ == "__main__":
    main()
