"""Deterministic synthetic paradiplomacy graphs shaped like the ontology, for the benchmarks.

A graph is built from "partnership blocks": two sub-state actors (city governments, drawn from a
shared pool so that the actors network has hubs and paths) with their jurisdictions and countries,
the partnership, the agreement that establishes it, an interest, three cooperation activities with
participations, fields, statuses and dates, and the source document passages every claim is derived
from. Blocks are added until the requested number of triples is reached. The same size and seed
always give the same file, byte for byte.

A known number of violations is injected (one ``sh:Violation`` result each, see :data:`INJECTED`),
so a validator that finds a different number is wrong, not slow.

    .venv/bin/python benchmarks/generate.py 100000 [--seed 7] [--out FILE]

Python use: ``generate(100_000)`` returns ``(turtle_text, stats)``; :func:`ensure` writes the file
once into ``benchmarks/_generated/`` and returns its path.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["generate", "ensure", "INJECTED", "Stats"]

GENERATED = Path(__file__).resolve().parent / "_generated"

SCK = "https://w3id.org/sistercity-kg/ontology#"
PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix sck: <https://w3id.org/sistercity-kg/ontology#> .
@prefix field: <https://w3id.org/sistercity-kg/concept/field/> .
@prefix activity-type: <https://w3id.org/sistercity-kg/concept/activity-type/> .
@prefix status: <https://w3id.org/sistercity-kg/concept/status/> .
@prefix partnership-type: <https://w3id.org/sistercity-kg/concept/partnership-type/> .
@prefix participant-role: <https://w3id.org/sistercity-kg/concept/participant-role/> .
@prefix actor: <https://w3id.org/sistercity-kg/id/actor/> .
@prefix jurisdiction: <https://w3id.org/sistercity-kg/id/jurisdiction/> .
@prefix country: <https://w3id.org/sistercity-kg/id/country/> .
@prefix partnership: <https://w3id.org/sistercity-kg/id/partnership/> .
@prefix agreement: <https://w3id.org/sistercity-kg/id/agreement/> .
@prefix interest: <https://w3id.org/sistercity-kg/id/interest/> .
@prefix activity: <https://w3id.org/sistercity-kg/id/activity/> .
@prefix participation: <https://w3id.org/sistercity-kg/id/participation/> .
@prefix source: <https://w3id.org/sistercity-kg/id/source/> .
@prefix passage: <https://w3id.org/sistercity-kg/id/passage/> .

"""

FIELDS = ["culture", "education", "tourism", "urban-governance", "environment", "health",
          "trade-and-investment", "knowledge-exchange", "transportation", "urban-planning"]
ACTIVITY_TYPES = ["cultural-centre", "festival-participation", "staff-exchange", "study-visit",
                  "technical-assistance", "trade-promotion"]
STATUSES = ["completed", "ongoing", "planned", "intended"]
ROLES = ["host", "participant", "provider", "beneficiary"]

#: The kinds of injected violations, each giving exactly one sh:Violation result.
INJECTED = (
    "partnership with one partner (sh:minCount 2 on sck:partner)",
    "activity whose status is not a status concept (sh:node InStatusScheme)",
    "actor without a country (sh:minCount 1 on sck:country)",
    "passage with two locators (sh:maxCount 1 on sck:locator)",
    "activity with quantity 0 (sh:minInclusive 1 on sck:quantity)",
)
#: One violation every this many blocks (cycling through INJECTED).
VIOLATION_EVERY = 7


@dataclass
class Stats:
    """What a generated graph holds."""

    triples: int = 0
    blocks: int = 0
    actors: int = 0
    violations: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = [PREFIXES]
        self.triples = 0

    def node(self, subject: str, *pairs: tuple[str, str | list[str]]) -> None:
        lines = []
        for predicate, objects in pairs:
            objects = objects if isinstance(objects, list) else [objects]
            lines.append(f"    {predicate} {' , '.join(objects)}")
            self.triples += len(objects)
        self.parts.append(subject + "\n" + " ;\n".join(lines) + " .\n\n")


def _lit(text: str, lang: str) -> str:
    return f'"{text}"@{lang}'


def generate(target_triples: int, *, seed: int = 7) -> tuple[str, Stats]:
    """A Turtle document of about ``target_triples`` triples and what it holds."""
    rng = random.Random(seed)
    out = _Writer()
    stats = Stats()
    # Countries and the source document: one of each kind up front.
    countries = [f"country:c{i:03d}" for i in range(60)]
    for i, c in enumerate(countries):
        out.node(c, ("a", "sck:Country"), ("rdfs:label", [_lit(f"Country {i}", "en"), _lit(f"Negara {i}", "id")]),
                 ("skos:exactMatch", f"wd:Q{1000 + i}"), ("prov:wasDerivedFrom", "passage:p0-0"))
    out.node("source:s0", ("a", "sck:SourceDocument"), ("dcterms:title", _lit("Synthetic source", "en")))
    out.node("passage:p0-0", ("a", "sck:Passage"), ("sck:inDocument", "source:s0"),
             ("sck:locator", '"synthetic, 0"'), ("sck:quote", _lit("Sumber sintetis.", "id")))
    # Actors are created on first use, from a pool that grows with the graph (hubs + long tail).
    made_actors: set[int] = set()

    def actor(k: int, passage: str, *, without_country: bool = False) -> str:
        name = f"actor:a{k:06d}"
        if k in made_actors:
            return name
        made_actors.add(k)
        country = countries[k % len(countries)]
        pairs = [("a", "sck:CityGovernment"), ("rdfs:label", [_lit(f"City government {k}", "en"), _lit(f"Pemerintah Kota {k}", "id")]),
                 ("sck:governs", f"jurisdiction:j{k:06d}")]
        if not without_country:
            pairs.append(("sck:country", country))
        pairs.append(("prov:wasDerivedFrom", passage))
        out.node(name, *pairs)
        out.node(f"jurisdiction:j{k:06d}", ("a", "sck:Jurisdiction"), ("rdfs:label", [_lit(f"City {k}", "en"), _lit(f"Kota {k}", "id")]),
                 ("sck:governedBy", name), ("sck:country", country), ("skos:exactMatch", f"wd:Q{100000 + k}"),
                 ("prov:wasDerivedFrom", passage))
        return name

    block = 0
    while out.triples < target_triples:
        block += 1
        b = f"{block:06d}"
        inject = INJECTED[(block // VIOLATION_EVERY) % len(INJECTED)] if block % VIOLATION_EVERY == 0 else None
        if inject:
            stats.by_kind[inject] = stats.by_kind.get(inject, 0) + 1
        pool = max(8, block // 2)
        k1 = int(rng.paretovariate(1.2)) % pool if rng.random() < 0.5 else rng.randrange(pool)
        k2 = rng.randrange(pool)
        while k2 == k1:
            k2 = rng.randrange(pool)
        passages = [f"passage:p{b}-{i}" for i in range(2)]
        # A fresh actor for the "no country" case, so the violation is exactly one result.
        a1 = actor(10_000_000 + block, passages[0], without_country=True) if inject == INJECTED[2] else actor(k1, passages[0])
        a2 = actor(k2, passages[0])
        fields = rng.sample(FIELDS, 2)
        year = rng.randrange(1960, 2024)
        partners = [a1] if inject == INJECTED[0] else [a1, a2]
        out.node(f"partnership:t{b}", ("a", "sck:Partnership"),
                 ("rdfs:label", [_lit(f"Partnership {block}", "en"), _lit(f"Kemitraan {block}", "id")]),
                 ("sck:partner", partners), ("sck:partnershipType", f"partnership-type:{rng.choice(['sister-city', 'friendship'])}"),
                 ("sck:field", [f"field:{f}" for f in fields]), ("sck:startDate", f'"{year}"^^xsd:gYear'),
                 ("sck:describedAsTimeBound", "false"), ("prov:wasDerivedFrom", passages))
        out.node(f"agreement:g{b}", ("a", "sck:Agreement"), ("rdfs:label", _lit(f"Agreement {block}", "en")),
                 ("sck:party", [a1, a2]), ("sck:establishes", f"partnership:t{b}"),
                 ("sck:signingDate", f'"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"^^xsd:date'),
                 ("sck:field", f"field:{fields[0]}"), ("prov:wasDerivedFrom", passages[0]))
        out.node(f"interest:i{b}", ("a", "sck:Interest"), ("rdfs:label", _lit(f"Interest {block}", "en")),
                 ("sck:inPartnership", f"partnership:t{b}"), ("sck:field", f"field:{fields[0]}"),
                 ("sck:pursuedThrough", f"activity:v{b}-0"), ("prov:wasDerivedFrom", passages[1]))
        pairs = [("sck:hasInterest", f"interest:i{b}")]
        out.node(a1, *pairs)
        for n in range(3):
            act = f"activity:v{b}-{n}"
            status = "field:culture" if (inject == INJECTED[1] and n == 0) else f"status:{rng.choice(STATUSES)}"
            parts = [("a", "sck:CooperationActivity"), ("rdfs:label", _lit(f"Activity {block}.{n}", "en")),
                     ("sck:partOf", f"partnership:t{b}"), ("sck:activityType", f"activity-type:{rng.choice(ACTIVITY_TYPES)}"),
                     ("sck:field", f"field:{rng.choice(fields)}"), ("sck:status", status),
                     ("sck:startDate", f'"{year + n}"^^xsd:gYear'), ("sck:hasParticipation", f"participation:q{b}-{n}")]
            if inject == INJECTED[4] and n == 0:
                parts.append(("sck:quantity", "0"))
            parts.append(("prov:wasDerivedFrom", passages[1]))
            out.node(act, *parts)
            out.node(f"participation:q{b}-{n}", ("a", "sck:Participation"), ("sck:participant", rng.choice([a1, a2])),
                     ("sck:role", f"participant-role:{rng.choice(ROLES)}"), ("prov:wasDerivedFrom", passages[1]))
        for i, p in enumerate(passages):
            locators = [f'"block {block}, {i}"'] + ([f'"block {block}, {i} bis"'] if inject == INJECTED[3] and i == 0 else [])
            out.node(p, ("a", "sck:Passage"), ("sck:inDocument", "source:s0"), ("sck:locator", locators),
                     ("sck:quote", _lit(f"Kutipan sintetis {block}.{i}.", "id")))
    stats.triples = out.triples
    stats.blocks = block
    stats.actors = len(made_actors)
    stats.violations = sum(stats.by_kind.values())
    return "".join(out.parts), stats


def ensure(target_triples: int, *, seed: int = 7) -> tuple[Path, Stats]:
    """The generated file for this size and seed (written once into ``benchmarks/_generated``)."""
    GENERATED.mkdir(exist_ok=True)
    text, stats = generate(target_triples, seed=seed)
    path = GENERATED / f"synthetic-{target_triples}-seed{seed}.ttl"
    data = text.encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    return path, stats


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("triples", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    text, stats = generate(args.triples, seed=args.seed)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"{stats.triples} triples, {stats.blocks} partnership blocks, {stats.actors} actors, "
          f"{stats.violations} injected violations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
