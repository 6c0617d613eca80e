"""What a knowledge graph holds, in a form a person reads in a terminal.

The summary is built from SPARQL over the union of the graphs and from a validation run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .graph import KnowledgeGraph
from .namespaces import sparql_prefixes
from .validation import ValidationReport

__all__ = ["Summary", "summarize"]

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

_LABEL = """
OPTIONAL {{ {var} rdfs:label ?{name}_l FILTER(langMatches(lang(?{name}_l), ?lang)) }}
OPTIONAL {{ {var} rdfs:label ?{name}_any FILTER(langMatches(lang(?{name}_any), "en")) }}
BIND(COALESCE(?{name}_l, ?{name}_any, STR({var})) AS ?{name})
"""


def _label(var: str, name: str) -> str:
    return _LABEL.format(var=var, name=name)


_ACTORS = f"""SELECT DISTINCT ?actor ?name ?kind ?country ?place WHERE {{
  ?actor a ?class . ?class rdfs:subClassOf* sck:SubStateActor .
  FILTER(?class != sck:SubStateActor)
  {_label("?actor", "name")} {_label("?class", "kind")}
  OPTIONAL {{ ?actor sck:country ?c . {_label("?c", "country")} }}
  OPTIONAL {{ ?actor sck:governs ?j . {_label("?j", "place")} }}
}} ORDER BY ?name"""

_PARTNERSHIPS = f"""SELECT ?p ?name ?type (GROUP_CONCAT(DISTINCT ?partner; SEPARATOR=" and ") AS ?partners)
       (GROUP_CONCAT(DISTINCT ?field; SEPARATOR=", ") AS ?fields) ?basis WHERE {{
  ?p a sck:Partnership . {_label("?p", "name")}
  OPTIONAL {{ ?p sck:partnershipType ?t . {_label("?t", "type")} }}
  OPTIONAL {{ ?p sck:partner ?a . {_label("?a", "partner")} }}
  OPTIONAL {{ ?p sck:field ?f . {_label("?f", "field")} }}
  OPTIONAL {{ ?p sck:legalBasis ?b . {_label("?b", "basis")} }}
}} GROUP BY ?p ?name ?type ?basis ORDER BY ?name"""

_ACTIVITIES = f"""SELECT DISTINCT ?a ?name ?field ?status WHERE {{
  ?a a sck:CooperationActivity . {_label("?a", "name")}
  OPTIONAL {{ ?a sck:field ?f . {_label("?f", "field")} }}
  OPTIONAL {{ ?a sck:status ?s . {_label("?s", "status")} }}
}} ORDER BY ?field ?name"""

_SOURCES = """SELECT ?doc ?title (COUNT(DISTINCT ?passage) AS ?passages) (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  ?doc a sck:SourceDocument .
  OPTIONAL { ?doc dcterms:title ?t }
  BIND(COALESCE(?t, STR(?doc)) AS ?title)
  OPTIONAL { ?passage sck:inDocument ?doc . OPTIONAL { ?claim prov:wasDerivedFrom ?passage } }
} GROUP BY ?doc ?title ORDER BY ?title"""


@dataclass(frozen=True)
class Summary:
    """What the graph holds (rows of label strings) and its validation outcome."""

    quads: int
    graphs: int
    actors: list[dict[str, str]] = field(default_factory=list)
    partnerships: list[dict[str, str]] = field(default_factory=list)
    activities: list[dict[str, str]] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)
    report: ValidationReport | None = None

    def text(self) -> str:
        """The summary as plain text for a terminal."""
        out: list[str] = [f"Knowledge graph: {self.quads} statements in {self.graphs} named graphs.", ""]
        out.append(f"Actors ({len(self.actors)}):")
        for a in self.actors:
            out.append(f"  - {a['name']} ({a['kind']}, {a.get('country', '?')}), governs {a.get('place', '?')}")
        out.append(f"Partnerships ({len(self.partnerships)}):")
        for p in self.partnerships:
            out.append(f"  - {p['name']} [{p.get('type', '?')}] between {p.get('partners', '?')}")
            if p.get("fields"):
                out.append(f"      fields: {p['fields']}")
            if p.get("basis"):
                out.append(f"      legal basis: {p['basis']}")
        out.append(f"Activities ({len(self.activities)}):")
        width = max((len(a["name"]) for a in self.activities), default=0)
        for a in self.activities:
            out.append(f"  - {a['name'].ljust(width)}  {a.get('field', '?'):<32} {a.get('status', '?')}")
        out.append(f"Sources ({len(self.sources)}):")
        for s in self.sources:
            out.append(f"  - {s['title']}: {_count(s['passages'], 'passage')} supporting {_count(s['claims'], 'claim')}")
        if self.report is not None:
            r = self.report
            verdict = "conforms" if r.conforms else "DOES NOT CONFORM"
            out += ["", f"Validation: {verdict} ({len(r.violations)} violations, {len(r.warnings)} warnings)."]
            for result in r.violations + r.warnings:
                out.append("  " + result.text())
        return "\n".join(out)

    def __str__(self) -> str:
        return self.text()


def _count(number: str, noun: str) -> str:
    return f"{number} {noun}" if number == "1" else f"{number} {noun}s"


def summarize(kg: KnowledgeGraph, *, lang: str = "en", validate: bool = True) -> Summary:
    """Summarise a knowledge graph: actors, partnerships, activities, sources, validation.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to describe.
    lang : str
        Language of the labels shown (falls back to English).
    validate : bool
        Whether to run the shapes too.

    Raises
    ------
    ValueError
        If ``lang`` is not a language tag.

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> s = summarize(sck.load(layers=["bandung-seoul"]))
    >>> len(s.actors)
    2
    """
    if not _LANGUAGE_TAG.match(lang):
        raise ValueError(f"{lang!r} is not a language tag; expected e.g. 'en' or 'id'.")

    def rows(query: str) -> list[dict[str, str]]:
        # The tag is checked above; it is written into nested OPTIONALs, where a VALUES
        # binding at the top of the query would not be in scope.
        result = kg.sparql(sparql_prefixes() + query.replace("?lang", f'"{lang}"'))
        return [{k: str(v) for k, v in row.items()} for row in result.rows]

    return Summary(
        quads=len(kg),
        graphs=len(kg.graph_names()),
        actors=rows(_ACTORS),
        partnerships=rows(_PARTNERSHIPS),
        activities=rows(_ACTIVITIES),
        sources=rows(_SOURCES),
        report=kg.validate() if validate else None,
    )
