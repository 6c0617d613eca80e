"""Import twinning statements (P190, "twinned administrative body") from a Wikidata file.

The library never fetches unless asked: run ``queries/wikidata/p190.rq`` on
https://query.wikidata.org/, download the result as JSON (SPARQL 1.1 JSON results), and import
that file; or save entity documents (``https://www.wikidata.org/wiki/Special:EntityData/Q10389.json``,
one or several merged under ``"entities"``). Both are recognised by their content. Asked
explicitly -- :func:`fetch_wikidata`, ``sistercity-kg import --fetch ENDPOINT`` -- it sends that
query to the endpoint (one HTTP POST, with a timeout), saves the answer to a file and imports
the file, so the import's provenance is a file like any other.

Mapping, into the named graph ``sckg:wikidata``:

- an item (Q-ID) is a ``sck:Jurisdiction`` with ``skos:exactMatch wd:Q…``: the node that already
  has that ``skos:exactMatch`` (e.g. the bundled Bandung, Q10389), else one found by English
  label + country, else a new one (``sckid:jurisdiction/<label country>``); labels in en, id, ko;
- its country (P17) is a ``sck:Country`` matched the same way;
- each P190 statement is a ``sck:Partnership`` of type ``twinning`` between the governments of the
  two items (``sckid:partnership/<a>--<b>--wikidata``: one node per pair, whichever side states it),
  with ``sck:startDate`` / ``sck:endDate`` from the P580 / P582 qualifiers at their precision
  (year -> ``xsd:gYear``, month -> ``xsd:gYearMonth``, day -> ``xsd:date``);
- every result row (or entity statement) is a ``sck:Passage`` of the file (locator
  ``result N`` or ``Q…#P190-N``, quote a one-line English rendering of the statement).

An item without P190 is imported as a jurisdiction only. Rows that cannot make valid data (no
English label or no country for a new item) are skipped with the reason; when the two sides of a
pair give different dates the first is kept and the other is listed in ``skipped``
(:mod:`~sistercity_kg.importers.reconcile` compares sources).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import LoadError
from ..resources import bundled_path
from ._common import (
    A,
    DERIVED,
    XSD,
    GraphIndex,
    ImportResult,
    Quads,
    add_row_passage,
    add_source,
    default_graph,
    file_digest,
    pair_partnership,
    sck,
    source_document_iri,
)
from .twinlist import TWINNING

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["import_wikidata", "is_wikidata_json", "wikidata_time", "fetch_wikidata", "p190_query"]

#: The endpoint of the Wikidata Query Service (used only when a user passes it to fetch).
WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"

_LANGS = ("en", "id", "ko")


@dataclass
class _Item:
    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    country_qid: str | None = None
    country_label: str | None = None


@dataclass
class _Record:
    locator: str
    item: _Item
    partner: _Item | None = None
    start: tuple[str, str] | None = None  # (lexical, xsd datatype local name)
    end: tuple[str, str] | None = None


def _qid(uri: str | None) -> str | None:
    if not uri:
        return None
    tail = uri.rstrip("/").rsplit("/", 1)[-1]
    return tail if tail[:1] in ("Q", "q") and tail[1:].isdigit() else None


def wikidata_time(value: str, precision: int | None) -> tuple[str, str] | None:
    """A Wikidata time (``+1960-00-00T00:00:00Z`` or ``1960-01-01T00:00:00Z``) at its precision.

    >>> wikidata_time("+1960-00-00T00:00:00Z", 9)
    ('1960', 'gYear')
    >>> wikidata_time("2005-06-01T00:00:00Z", 10)
    ('2005-06', 'gYearMonth')
    >>> wikidata_time("2005-06-13T00:00:00Z", None)
    ('2005-06-13', 'date')
    """
    text = value.lstrip("+")
    if len(text) < 10 or text.startswith("-") or not text[:4].isdigit():
        return None  # BCE or unusual dates are left out rather than guessed
    year, month, day = text[:4], text[5:7], text[8:10]
    if precision is not None and precision <= 9 or month == "00":
        return year, "gYear"
    if precision == 10 or day == "00":
        return f"{year}-{month}", "gYearMonth"
    return f"{year}-{month}-{day}", "date"


def p190_query(items: tuple[str, ...] | list[str] | None = None) -> str:
    """The text of ``queries/wikidata/p190.rq``, its ``VALUES ?item`` line set to ``items``.

    >>> "VALUES ?item { wd:Q1 wd:Q2 }" in p190_query(["Q1", "q2"])
    True
    """
    text = bundled_path("queries/wikidata/p190.rq").read_text(encoding="utf-8")
    if not items:
        return text
    qids = [str(q).strip().upper() for q in items]
    bad = [q for q in qids if not (q[:1] == "Q" and q[1:].isdigit())]
    if bad:
        raise LoadError(f"not Wikidata item IDs: {', '.join(bad)}; give IDs such as Q10389.")
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip().startswith("VALUES ?item"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = f"{indent}VALUES ?item {{ {' '.join('wd:' + q for q in qids)} }}\n"
            break
    return "".join(lines)


def fetch_wikidata(
    endpoint: str,
    out: str | Path,
    *,
    items: tuple[str, ...] | list[str] | None = None,
    timeout: float = 60.0,
) -> Path:
    """Run the P190 query on a SPARQL endpoint and save the JSON results to ``out``.

    The only function of the library that reaches the network, and only to ``endpoint``.

    Parameters
    ----------
    endpoint : str
        The SPARQL endpoint URL, e.g. ``https://query.wikidata.org/sparql``.
    out : str or Path
        Where to save the results (written only when a valid answer arrived).
    items : list of str, optional
        Wikidata IDs whose P190 statements to fetch; default: those in ``p190.rq`` (Bandung, Seoul).
    timeout : float
        Seconds to wait for the endpoint.

    Returns
    -------
    Path
        ``out``, ready for :func:`import_wikidata`.

    Raises
    ------
    LoadError
        If the endpoint cannot be reached, times out, answers with an HTTP error or with
        something other than SPARQL JSON results.
    """
    import socket
    import urllib.error
    import urllib.parse
    import urllib.request

    from .. import __version__

    if not endpoint.startswith(("http://", "https://")):
        raise LoadError(f"{endpoint!r} is not an http(s) URL of a SPARQL endpoint.")
    body = urllib.parse.urlencode({"query": p190_query(items)}).encode("utf-8")
    request = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": f"sistercity-kg/{__version__} (https://w3id.org/sistercity-kg)",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
    except urllib.error.HTTPError as exc:
        raise LoadError(f"{endpoint}: the endpoint answered HTTP {exc.code} {exc.reason}.") from None
    except (socket.timeout, TimeoutError):
        raise LoadError(f"{endpoint}: no answer within {timeout:g} s (raise it with --timeout).") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise LoadError(f"{endpoint}: no answer within {timeout:g} s (raise it with --timeout).") from None
        raise LoadError(f"{endpoint}: cannot reach the endpoint ({reason}).") from None
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise LoadError(f"{endpoint}: the answer is not JSON; is it a SPARQL endpoint?") from None
    if not (is_wikidata_json(data) and "results" in data):
        raise LoadError(f"{endpoint}: the answer is JSON but not SPARQL results.")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(payload)
    os.replace(partial, path)  # never a half-written results file
    return path


def is_wikidata_json(data: Any) -> bool:
    """True for SPARQL JSON results or Wikidata entity documents."""
    return isinstance(data, dict) and (
        ("head" in data and "results" in data) or isinstance(data.get("entities"), dict)
    )


def _from_sparql(data: dict[str, Any]) -> list[_Record]:
    records = []
    for number, binding in enumerate(data["results"].get("bindings", []), start=1):
        def value(name: str) -> str | None:
            cell = binding.get(name)
            return cell.get("value") if isinstance(cell, dict) else None

        def item(prefix: str) -> _Item | None:
            qid = _qid(value(prefix))
            if qid is None:
                return None
            labels = {lang: value(f"{prefix}Label_{lang}") for lang in _LANGS}
            country = "country" if prefix == "item" else f"{prefix}Country"
            return _Item(qid, {k: v for k, v in labels.items() if v}, _qid(value(country)), value(f"{country}Label_en"))

        subject = item("item")
        if subject is None:
            continue
        dates = []
        for name in ("start", "end"):
            raw, prec = value(name), value(f"{name}Precision")
            dates.append(wikidata_time(raw, int(prec) if prec and prec.isdigit() else None) if raw else None)
        records.append(_Record(f"result {number}", subject, item("partner"), dates[0], dates[1]))
    return records


def _claim_id(snak: dict[str, Any]) -> str | None:
    value = snak.get("datavalue", {}).get("value")
    return value.get("id") if isinstance(value, dict) else None


def _from_entities(data: dict[str, Any]) -> list[_Record]:
    entities = data["entities"]

    def described(qid: str | None) -> _Item | None:
        if qid is None:
            return None
        doc = entities.get(qid, {})
        labels = {lang: doc.get("labels", {}).get(lang, {}).get("value") for lang in _LANGS}
        country = None
        for claim in doc.get("claims", {}).get("P17", []):
            country = _claim_id(claim.get("mainsnak", {}))
            break
        country_doc = entities.get(country or "", {})
        country_label = country_doc.get("labels", {}).get("en", {}).get("value")
        return _Item(qid, {k: v for k, v in labels.items() if v}, country, country_label)

    records = []
    for qid in sorted(entities):
        doc = entities[qid]
        if not doc.get("claims", {}).get("P17"):
            continue  # a country or other entity included only for its labels
        claims = doc.get("claims", {}).get("P190", [])
        if not claims:
            records.append(_Record(f"{qid}", described(qid)))  # type: ignore[arg-type]
        for n, claim in enumerate(claims, start=1):
            dates: list[tuple[str, str] | None] = []
            for prop in ("P580", "P582"):
                snaks = claim.get("qualifiers", {}).get(prop, [])
                v = snaks[0].get("datavalue", {}).get("value") if snaks else None
                dates.append(wikidata_time(v["time"], v.get("precision")) if isinstance(v, dict) and "time" in v else None)
            partner = described(_claim_id(claim.get("mainsnak", {})))
            records.append(_Record(f"{qid}#P190-{n}", described(qid), partner, dates[0], dates[1]))  # type: ignore[arg-type]
    return records


def _text(record: _Record) -> str:
    def name(item: _Item) -> str:
        return f"{item.labels.get('en', '?')} (wd:{item.qid})"

    if record.partner is None:
        return f"{name(record.item)}: no twinned administrative body (P190)"
    text = f"{name(record.item)} twinned administrative body (P190) {name(record.partner)}"
    if record.start:
        text += f"; start time (P580) {record.start[0]}"
    if record.end:
        text += f"; end time (P582) {record.end[0]}"
    return text


def import_wikidata(kg: KnowledgeGraph, path: str | Path, *, graph: str | None = None) -> ImportResult:
    """Import a saved Wikidata file (SPARQL JSON results or entity documents) into ``kg``.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to add to; nodes with the same ``skos:exactMatch wd:Q…`` are reused.
    path : str or Path
        The ``.json`` file.
    graph : str, optional
        The named graph; ``sckg:wikidata`` by default.

    Returns
    -------
    ImportResult

    Raises
    ------
    MissingFileError
        If there is no such file.
    LoadError
        If the file is not JSON, or not Wikidata SPARQL results or entity documents.
    """
    from ..inputs import load_json

    path = Path(path)
    data = load_json(path, what="a Wikidata JSON file")
    if not is_wikidata_json(data):
        raise LoadError(
            f"{path}: expected Wikidata SPARQL JSON results (with \"head\" and \"results\") or entity documents "
            "(with \"entities\")."
        )
    try:
        records = _from_sparql(data) if "results" in data else _from_entities(data)
    except (AttributeError, TypeError, KeyError, ValueError) as exc:  # a value of an unexpected JSON type
        raise LoadError(
            f"{path}: JSON of an unexpected shape ({type(exc).__name__}: {exc}); expected Wikidata SPARQL JSON "
            "results (objects in results.bindings) or entity documents (objects in entities)."
        ) from None
    target = graph or default_graph("wikidata")
    result = ImportResult(kind="wikidata", path=path, graph=target, rows=len(records))
    quads = Quads(target)
    index = GraphIndex(kg)
    source = source_document_iri(path, file_digest(path))
    add_source(quads, source, path, f"Wikidata export {path.name}")
    twinning = ox.NamedNode(TWINNING)
    dates_seen: dict[tuple[str, str], tuple[str, str]] = {}

    def place(item: _Item, passage: ox.NamedNode, locator: str) -> tuple[ox.NamedNode, ox.NamedNode, str] | None:
        known = index.by_wikidata.get(item.qid)
        if known is not None and known.value in index.jurisdiction_country:
            country = index.jurisdiction_country[known.value]
            country_name = index.labels.get((country.value, "en"), item.country_label or "")
            name = index.labels.get((known.value, "en"), item.labels.get("en", item.qid))
        else:
            name = item.labels.get("en")
            if not name or not (item.country_label or index.by_wikidata.get(item.country_qid or "")):
                result.skipped.append(f"{locator}: wd:{item.qid} has no English label or no country (P17) in the file")
                return None
            country_name = item.country_label or index.labels.get((index.by_wikidata[item.country_qid].value, "en"), "")  # type: ignore[index]
            country = index.country(quads, country_name, qid=item.country_qid)
        jurisdiction = index.jurisdiction(quads, name, country, country_name, passage, qid=item.qid)
        for lang, label in item.labels.items():
            index.label(quads, jurisdiction, label, lang)
        actor = index.government_of(quads, jurisdiction, name, country, country_name, passage)
        return jurisdiction, actor, name

    for record in records:
        passage = add_row_passage(quads, source, 0, _text(record), "en", locator=record.locator)
        first = place(record.item, passage, record.locator)
        if record.partner is None or first is None:
            continue
        second = place(record.partner, passage, record.locator)
        if second is None or first[0] == second[0]:
            continue
        node = pair_partnership(first[0], second[0], "wikidata")
        ends = sorted((first, second), key=lambda e: e[0].value)
        quads.add(node, A, sck("Partnership"))
        index.label(quads, node, f"Twinning of {ends[0][2]} and {ends[1][2]} (Wikidata P190)", "en")
        quads.add(node, sck("partner"), first[1])
        quads.add(node, sck("partner"), second[1])
        quads.add(node, sck("partnershipType"), twinning)
        quads.add(node, DERIVED, passage)
        for prop, value in (("startDate", record.start), ("endDate", record.end)):
            if value is None:
                continue
            kept = dates_seen.setdefault((node.value, prop), value)
            if kept != value:
                result.skipped.append(f"{record.locator}: sck:{prop} {value[0]} differs from {kept[0]} given by the other side; kept {kept[0]}")
                continue
            quads.add(node, sck(prop), ox.Literal(value[0], datatype=ox.NamedNode(XSD + value[1])))
    result.added = quads.commit(kg)
    return result
