"""The reconciliation report: where sources agree and disagree about partnerships.

Each named graph is one source (the curated ``sckg:bandung-seoul``, an imported spreadsheet,
``sckg:twin-cities``, ``sckg:wikidata`` …). Partnerships are matched across sources by their
pair of jurisdictions -- the jurisdiction's Wikidata ID when it has one, else its normalised
English name and country -- never by IRI, so the same pair stated by two importers meets.

The report lists, for every pair, which sources state it; and every **conflict**: an attribute
(partnership type, start date, end date, term) to which sources give different values. A conflict
keeps every value with the sources that give it (graph, partnership node, source documents):
the report never picks a winner.

:func:`quickstatements` turns what one source (the curated data) states and Wikidata lacks into
a QuickStatements (V1) patch of P190 ("twinned administrative body") statements, both ways,
with start/end qualifiers (P580/P582) where the source gives one date, and a reference to the
passage the partnership is derived from (P958 section, P1683 quotation, P1476 title of the
source; never a spreadsheet's own row, only the passage it cites). Only pairs whose two places have Wikidata IDs can be written; the patch is printed for
a person to review and run at https://quickstatements.toolforge.org/ -- the library never
edits Wikidata.

>>> import sistercity_kg as sck
>>> report = reconcile(sck.load())
>>> [p.label for p in report.pairs]
['Bandung (Indonesia) – Seoul (South Korea)']
>>> report.conflicts
[]
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._common import _rows, norm

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["reconcile", "quickstatements", "ReconciliationReport", "PairRecord", "Conflict", "ATTRIBUTES"]

#: Attributes compared across sources: report name -> sck: property.
ATTRIBUTES = {"type": "partnershipType", "start": "startDate", "end": "endDate", "term": "term"}


@dataclass
class Statement:
    """One source's partnership for a pair: its graph, node, attributes and source documents."""

    graph: str
    partnership: str
    attributes: dict[str, set[str]] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)


@dataclass
class PairRecord:
    """A pair of jurisdictions and what each source says about their partnership."""

    key: tuple[str, str]
    label: str
    statements: list[Statement] = field(default_factory=list)

    @property
    def graphs(self) -> list[str]:
        return sorted({s.graph for s in self.statements})


@dataclass
class Conflict:
    """Sources give different values for one attribute of one pair; ``values`` maps each value
    to the statements (graph, partnership, documents) that give it."""

    pair: str
    attribute: str
    values: dict[str, list[Statement]]


@dataclass
class ReconciliationReport:
    """Pairs, where each is stated, and the conflicts between sources."""

    pairs: list[PairRecord]
    conflicts: list[Conflict]

    def only_in(self, graph: str) -> list[PairRecord]:
        """Pairs that ``graph`` states and no other source does."""
        return [p for p in self.pairs if p.graphs == [str(graph)]]

    def in_both(self, first: str, second: str) -> list[PairRecord]:
        """Pairs stated by both sources."""
        return [p for p in self.pairs if {str(first), str(second)} <= set(p.graphs)]

    def pair(self, name_a: str, name_b: str) -> PairRecord | None:
        """The record of the pair whose label names both jurisdictions (case-insensitive)."""
        a, b = norm(name_a), norm(name_b)
        for record in self.pairs:
            names = [norm(part.rsplit(" (", 1)[0]) for part in record.label.split(" – ")]
            if sorted(names) == sorted([a, b]):
                return record
        return None

    def rows(self) -> list[dict[str, str]]:
        """One row per (pair, source statement) with the attributes, for CSV or Markdown."""
        out = []
        conflicted = {(c.pair, c.attribute) for c in self.conflicts}
        for record in self.pairs:
            for st in record.statements:
                row = {"pair": record.label, "graph": st.graph, "partnership": st.partnership}
                for name in ATTRIBUTES:
                    row[name] = "; ".join(sorted(st.attributes.get(name, set())))
                row["conflicts"] = ", ".join(n for n in ATTRIBUTES if (record.label, n) in conflicted)
                row["sources"] = "; ".join(sorted(st.documents))
                out.append(row)
        return out

    def to_csv(self) -> str:
        """The rows as CSV text."""
        buffer = io.StringIO()
        fields = ["pair", "graph", "partnership", *ATTRIBUTES, "conflicts", "sources"]
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return buffer.getvalue()

    def to_markdown(self) -> str:
        """The conflicts, then the rows, as Markdown tables."""
        lines = [f"# Reconciliation: {len(self.pairs)} pairs, {len(self.conflicts)} conflicts", ""]
        if self.conflicts:
            lines += ["| pair | attribute | value | stated in |", "| --- | --- | --- | --- |"]
            for c in self.conflicts:
                for value, statements in sorted(c.values.items()):
                    lines.append(f"| {c.pair} | {c.attribute} | {value} | {', '.join(sorted(s.graph for s in statements))} |")
            lines.append("")
        fields = ["pair", "graph", *ATTRIBUTES]
        lines += ["| " + " | ".join(fields) + " |", "|" + " --- |" * len(fields)]
        lines += ["| " + " | ".join(r[f] for f in fields) + " |" for r in self.rows()]
        return "\n".join(lines) + "\n"


def _short(value: str) -> str:
    return value.rsplit("/", 1)[-1] if value.startswith("http") else value


def _statements(
    kg: KnowledgeGraph, prefix: str
) -> tuple[dict[str, tuple[str, str]], dict[str, str], list[tuple[frozenset[str], Statement]]]:
    """Jurisdiction -> (label key, Wikidata ID); jurisdiction -> display label; and each
    partnership statement with its two jurisdictions."""
    identity: dict[str, tuple[str, str]] = {}
    labels: dict[str, str] = {}
    for j, label, country, wd in _rows(
        kg,
        "SELECT ?j ?l ?cl ?w WHERE { ?j a sck:Jurisdiction . "
        "OPTIONAL { ?j rdfs:label ?l FILTER (lang(?l) = 'en') } "
        "OPTIONAL { ?j sck:country ?c . ?c rdfs:label ?cl FILTER (lang(?cl) = 'en') } "
        "OPTIONAL { ?j skos:exactMatch ?w FILTER STRSTARTS(STR(?w), STR(wd:)) } }",
    ):
        name = label.value if label is not None else _short(j.value)  # type: ignore[attr-defined]
        country_name = country.value if country is not None else ""  # type: ignore[attr-defined]
        identity.setdefault(j.value, (f"{norm(name)}|{norm(country_name)}", _short(wd.value) if wd is not None else ""))  # type: ignore[attr-defined]
        labels.setdefault(j.value, f"{name} ({country_name})" if country_name else name)  # type: ignore[attr-defined]
    ends: dict[str, set[str]] = {}
    for p, j in _rows(
        kg,
        "SELECT ?p ?j WHERE { ?p a sck:Partnership ; sck:partner ?a . { ?a sck:governs ?j } UNION { ?j sck:governedBy ?a } }",
    ):
        ends.setdefault(p.value, set()).add(j.value)  # type: ignore[attr-defined]
    statements: dict[tuple[str, str], Statement] = {}
    for g, p in _rows(kg, "SELECT ?g ?p WHERE { GRAPH ?g { ?p a sck:Partnership } }"):
        statements[(g.value, p.value)] = Statement(prefix + g.value, p.value)  # type: ignore[attr-defined]
    values = " ".join(f"sck:{prop}" for prop in ATTRIBUTES.values())
    by_prop = {f"https://w3id.org/sistercity-kg/ontology#{prop}": name for name, prop in ATTRIBUTES.items()}
    for g, p, prop, v in _rows(kg, f"SELECT ?g ?p ?prop ?v WHERE {{ VALUES ?prop {{ {values} }} GRAPH ?g {{ ?p ?prop ?v }} }}"):
        st = statements.get((g.value, p.value))  # type: ignore[attr-defined]
        if st is not None:
            st.attributes.setdefault(by_prop[prop.value], set()).add(_short(v.value))  # type: ignore[attr-defined]
    for g, p, doc in _rows(
        kg,
        "SELECT ?g ?p ?d WHERE { GRAPH ?g { ?p a sck:Partnership ; prov:wasDerivedFrom ?psg } ?psg sck:inDocument ?d }",
    ):
        st = statements.get((g.value, p.value))  # type: ignore[attr-defined]
        if st is not None:
            st.documents.add(_short(doc.value))  # type: ignore[attr-defined]
    out = []
    for (_, p), st in sorted(statements.items()):
        js = ends.get(p, set())
        if len(js) == 2:
            out.append((frozenset(js), st))
    return identity, labels, out


def reconcile(kg: KnowledgeGraph, other: KnowledgeGraph | None = None) -> ReconciliationReport:
    """Compare the partnerships each source (named graph) states.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph whose named graphs are compared with each other.
    other : KnowledgeGraph, optional
        A second graph to compare too; its graphs are reported as ``other:<graph IRI>``.

    Returns
    -------
    ReconciliationReport
        Every pair with the sources stating it, and every conflicting attribute with all its values.
    """
    identity, labels, statements = _statements(kg, "")
    if other is not None:
        more_identity, more_labels, more = _statements(other, "other:")
        for j, value in more_identity.items():
            identity.setdefault(j, value)
        for j, text in more_labels.items():
            labels.setdefault(j, text)
        statements += more
    # label key -> Wikidata ID, where any node with that name and country has one
    qid_of = {label_key: qid for label_key, qid in identity.values() if qid}

    def key(j: str) -> str:
        label_key, qid = identity.get(j, (j, ""))
        return qid or qid_of.get(label_key) or label_key

    records: dict[tuple[str, str], PairRecord] = {}
    for ends, st in statements:
        pair = sorted(ends, key=key)
        k = (key(pair[0]), key(pair[1]))
        if k[0] == k[1]:
            continue
        label = " – ".join(sorted(labels.get(j, _short(j)) for j in pair))
        records.setdefault(k, PairRecord(k, label)).statements.append(st)
    pairs = sorted(records.values(), key=lambda r: r.label)
    conflicts = []
    for record in pairs:
        for name in ATTRIBUTES:
            values: dict[str, list[Statement]] = {}
            for st in record.statements:
                for v in st.attributes.get(name, set()):
                    values.setdefault(v, []).append(st)
            if len(values) > 1:
                conflicts.append(Conflict(record.label, name, values))
    return ReconciliationReport(pairs, conflicts)


# -- QuickStatements -------------------------------------------------------------------


def _qs_time(value: str) -> str | None:
    """A date as QuickStatements writes it, at its precision (year 9, month 10, day 11).

    >>> _qs_time("2015"), _qs_time("2015-05"), _qs_time("2015-05-24")
    ('+2015-00-00T00:00:00Z/9', '+2015-05-00T00:00:00Z/10', '+2015-05-24T00:00:00Z/11')
    """
    parts = value.split("-")
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or len(parts) > 3:
        return None
    year, month, day = (parts + ["00", "00"])[:3]
    return f"+{year}-{month}-{day}T00:00:00Z/{9 + len(parts) - 1}"


def _qs_text(text: str, lang: str) -> str | None:
    """A monolingual text value; None when QuickStatements cannot carry it (a double quote,
    a line break, or longer than Wikidata's 1,500 characters)."""
    if '"' in text or "\n" in text or "\t" in text or len(text) > 1500:
        return None
    return f'{lang or "und"}:"{text}"'


def _reference(kg: KnowledgeGraph, graph: str, partnership: str, names: set[str]) -> list[str]:
    """Reference snaks for the passage the partnership is derived from: one naming both places
    if there is one, else the first by locator."""
    found = []
    for psg, loc, quote, title in _rows(
        kg,
        f"SELECT ?psg ?loc ?q ?t WHERE {{ GRAPH <{graph}> {{ <{partnership}> prov:wasDerivedFrom ?psg }} "
        "?psg sck:locator ?loc . OPTIONAL { ?psg sck:quote ?q } "
        "OPTIONAL { ?psg sck:inDocument ?d . ?d dcterms:title ?t } }",
    ):
        if quote is not None and quote.language == "und":  # type: ignore[attr-defined]
            continue  # a spreadsheet's own row is no reference for Wikidata; the passage it cites is
        text = quote.value if quote is not None else ""  # type: ignore[attr-defined]
        both = sum(norm(n) in norm(text) for n in names) >= 2
        found.append((not both, loc.value, psg.value, quote, title))  # type: ignore[attr-defined]
    if not found:
        return []
    _, locator, _, quote, title = sorted(found, key=lambda f: (f[0], f[1], f[2]))[0]
    snaks = ["S958", f'"{locator}"'] if '"' not in locator else []
    if quote is not None:
        value = _qs_text(quote.value, quote.language or "")  # type: ignore[attr-defined]
        if value:
            snaks += ["S1683", value]
    if title is not None:
        value = _qs_text(title.value, title.language or (quote.language if quote is not None else "") or "")  # type: ignore[attr-defined]
        if value:
            snaks += ["S1476", value]
    return snaks


def quickstatements(
    kg: KnowledgeGraph,
    *,
    source: str = "https://w3id.org/sistercity-kg/graph/bandung-seoul",
    wikidata: tuple[str, ...] = ("https://w3id.org/sistercity-kg/graph/wikidata",),
    report: ReconciliationReport | None = None,
) -> str:
    """A QuickStatements V1 patch: P190 statements that ``source`` states and no ``wikidata`` graph does.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph holding both sources (import the Wikidata file into it first).
    source : str
        The named graph whose partnerships may be added to Wikidata (default: the curated data).
    wikidata : tuple of str
        The named graphs holding what Wikidata already states.
    report : ReconciliationReport, optional
        A report of ``kg`` already computed.

    Returns
    -------
    str
        One tab-separated line per statement (each pair both ways), empty when there is nothing
        to add; pairs whose places lack Wikidata IDs are listed as ``/* ... */`` comment lines.
    """
    report = report or reconcile(kg)
    have = set(wikidata)
    names: dict[str, set[str]] = {}
    for j, label in _rows(kg, "SELECT ?j ?l WHERE { ?j a sck:Jurisdiction ; rdfs:label ?l }"):
        names.setdefault(j.value, set()).add(label.value)  # type: ignore[attr-defined]
    ends: dict[str, set[str]] = {}
    for p, j in _rows(
        kg, "SELECT ?p ?j WHERE { ?p sck:partner ?a . { ?a sck:governs ?j } UNION { ?j sck:governedBy ?a } }"
    ):
        ends.setdefault(p.value, set()).add(j.value)  # type: ignore[attr-defined]
    lines = []
    for record in report.pairs:
        stated = [st for st in record.statements if st.graph == str(source)]
        if not stated or have & set(record.graphs):
            continue
        qids = [k for k in record.key if k[:1] == "Q" and k[1:].isdigit()]
        if len(qids) != 2:
            lines.append(f"/* {record.label}: no Wikidata ID for both places, cannot be written */")
            continue
        st = stated[0]
        qualifiers = []
        for name, prop in (("start", "P580"), ("end", "P582")):
            values = st.attributes.get(name, set())
            time = _qs_time(next(iter(values))) if len(values) == 1 else None
            if time:
                qualifiers += [prop, time]
        place_names = set().union(*(names.get(j, set()) for j in ends.get(st.partnership, set())))
        reference = _reference(kg, st.graph, st.partnership, place_names)
        for a, b in (qids, qids[::-1]):
            lines.append("\t".join([a, "P190", b, *qualifiers, *reference]))
    return "".join(line + "\n" for line in lines)
