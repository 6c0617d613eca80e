"""Network analysis of paradiplomacy: centrality, components, communities, reciprocity,
field coverage and brokers between countries, with results written back as RDF.

Every function takes a :class:`~sistercity_kg.graph.KnowledgeGraph` (and the filters of
:func:`sistercity_kg.network.network`) or an already built networkx graph, and returns a
:class:`Metric` (a read-only mapping from node IRI to value that also records how it was
computed) or a small result object with a ``to_metric()`` method. :func:`write_back` stores
metrics in a named graph of their own (``sckg:metrics`` by default), each value a
``sck:Measurement`` ``prov:wasGeneratedBy`` a ``sck:NetworkAnalysis`` that records the
method, the parameters (JSON) and the time, so results can be queried next to the data and
recomputed.

Examples
--------
>>> import sistercity_kg as sck
>>> kg = sck.load(layers=["bandung-seoul"])
>>> bandung = str(sck.id("actor", "Bandung City Government"))
>>> seoul = str(sck.id("actor", "Seoul Metropolitan Government"))
>>> degree_centrality(kg)[bandung]
1.0
>>> r = reciprocity(kg, bandung, seoul)
>>> (r.a_to_b, r.b_to_a, r.mutual, r.unattributed, r.index)
(3, 3, 2, 1, 1.0)
>>> cov = field_coverage(kg, str(sck.id("partnership", "bandung-seoul-sister-city")), status="completed")
>>> (len(cov.declared), len(cov.covered), round(cov.coverage, 3))
(3, 1, 0.333)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
from dataclasses import dataclass, field as _field
from itertools import combinations
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Union

import networkx as nx
from rdflib import Literal, URIRef
from rdflib import namespace as _ns

from ._version import __version__
from .errors import ParameterError
from .namespaces import SCK, SCKG, SCKID, slugify, sparql_prefixes
from .network import (
    _ACTIVITY_OF,
    _VOCABULARY,
    _Facts,
    _Filter,
    _attributes,
    _concept,
    _run,
    _run_kind,
    local_name,
    network,
    parse_as_of,
)

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = [
    "Metric",
    "Reciprocity",
    "FieldCoverage",
    "degree_centrality",
    "betweenness_centrality",
    "components",
    "communities",
    "reciprocity",
    "field_coverage",
    "brokers",
    "write_back",
    "METRICS_GRAPH",
]

#: The named graph metrics are written to by default.
METRICS_GRAPH = SCKG.metrics

Value = Union[float, int, bool]
Key = Union[str, tuple[str, ...]]
Source = Union["KnowledgeGraph", nx.Graph]


@dataclass(frozen=True)
class Metric(Mapping[Key, Value]):
    """Values of one network metric, with what is needed to say how they were computed.

    A read-only mapping: ``metric[iri]`` is the value for a node; pair metrics are keyed by
    a tuple of IRIs.

    Attributes
    ----------
    name : str
        The metric, e.g. ``"betweenness-centrality"`` (stored as ``sck:metric``).
    results : dict
        Node IRI (or tuple of IRIs) -> number or boolean.
    method : str
        The algorithm and implementation (stored as ``sck:method``).
    parameters : dict
        Everything needed to recompute it: network kind, filters, options (``sck:parameters``).
    """

    name: str
    results: dict[Key, Value]
    method: str
    parameters: dict[str, Any] = _field(default_factory=dict)

    def __getitem__(self, key: Key) -> Value:
        return self.results[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def ranked(self) -> list[tuple[Key, Value]]:
        """The values from highest to lowest (ties by key), e.g. to list the top brokers."""
        return sorted(self.results.items(), key=lambda kv: (-float(kv[1]), str(kv[0])))

    def to_metric(self) -> Metric:
        return self


# -- graph helpers ---------------------------------------------------------------------


def _filters(field: str | None, status: str | None, as_of: Any, keep_undated: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if field is not None:
        out["field"] = field
    if status is not None:
        out["status"] = status
    if as_of is not None:
        out["as_of"] = str(parse_as_of(as_of))
        out["keep_undated"] = keep_undated
    return out


def _graph(source: Source, kind: str, filters: dict[str, Any], lang: str = "en") -> tuple[nx.Graph, dict[str, Any]]:
    """The networkx graph to analyse and the parameters that describe it."""
    if isinstance(source, nx.Graph):
        params = {"network": source.graph.get("kind", "given networkx graph"), **{
            k: source.graph[k] for k in ("field", "status", "as_of", "keep_undated") if k in source.graph}}
        return source, params
    graph = network(source, kind, lang=lang, **filters)
    params = {"network": kind, **{k: graph.graph[k] for k in ("field", "status", "as_of", "keep_undated")
                                  if k in graph.graph}}
    return graph, params


def _simple(graph: nx.Graph) -> nx.Graph:
    """Undirected simple graph; parallel edges become ``weight`` (their number)."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v in graph.edges():
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    return simple


def _actor_nodes(graph: nx.Graph, only_actors: bool) -> list[str]:
    if not only_actors:
        return sorted(graph)
    return sorted(n for n, g in graph.nodes(data="group") if g in ("actor", "jurisdiction") or g is None)


# -- centrality, components, communities ------------------------------------------------


def degree_centrality(
    source: Source,
    *,
    kind: str = "actors",
    only_actors: bool = True,
    field: str | None = None,
    status: str | None = None,
    as_of: Any = None,
    keep_undated: bool = True,
) -> Metric:
    """Degree centrality of the actors: the share of the other nodes each one is tied to.

    Computed with :func:`networkx.degree_centrality` on the undirected simple version of the
    network (several partnerships between the same two actors count once).

    Parameters
    ----------
    source : KnowledgeGraph or networkx.Graph
        The knowledge graph (projected with :func:`~sistercity_kg.network.network`) or a graph.
    kind : str, default "actors"
        Which projection to build from a knowledge graph.
    only_actors : bool, default True
        Report actors and jurisdictions only (all nodes are used in the computation).
    field, status, as_of, keep_undated
        Filters, as for :func:`~sistercity_kg.network.network`.

    Returns
    -------
    Metric
        ``"degree-centrality"``, node IRI -> value in [0, 1].

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> m = degree_centrality(sck.load(layers=["bandung-seoul"]), kind="cooperation")
    >>> round(m[str(sck.id("actor", "Seoul Metropolitan Government"))], 3)  # 7 of 19 other nodes
    0.368
    """
    graph, params = _graph(source, kind, _filters(field, status, as_of, keep_undated))
    simple = _simple(graph)
    values = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    return Metric(
        "degree-centrality",
        {n: float(values[n]) for n in _actor_nodes(simple, only_actors)},
        f"networkx {nx.__version__} degree_centrality on the undirected simple graph",
        {**params, "only_actors": only_actors},
    )


def betweenness_centrality(
    source: Source,
    *,
    kind: str = "actors",
    only_actors: bool = True,
    normalized: bool = True,
    field: str | None = None,
    status: str | None = None,
    as_of: Any = None,
    keep_undated: bool = True,
) -> Metric:
    """Betweenness centrality of the actors: how often each lies on shortest paths between others.

    Exact computation (Brandes' algorithm, :func:`networkx.betweenness_centrality`, no
    sampling, so results are reproducible) on the undirected simple version of the network.

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> kg = sck.load(layers=["bandung-seoul"])
    >>> betweenness_centrality(kg).ranked()[0][1]   # two partners: nobody lies between them
    0.0
    >>> m = betweenness_centrality(kg, kind="cooperation")
    >>> round(m[str(sck.id("actor", "Seoul Metropolitan Government"))], 3)
    0.051
    """
    graph, params = _graph(source, kind, _filters(field, status, as_of, keep_undated))
    simple = _simple(graph)
    values = nx.betweenness_centrality(simple, normalized=normalized)
    return Metric(
        "betweenness-centrality",
        {n: float(values[n]) for n in _actor_nodes(simple, only_actors)},
        f"networkx {nx.__version__} betweenness_centrality (Brandes, exact) on the undirected simple graph",
        {**params, "only_actors": only_actors, "normalized": normalized},
    )


def _numbered(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Number groups 1, 2, ... by size (largest first), ties by their smallest IRI."""
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0] if g else ""))
    return {n: i for i, g in enumerate(ordered, start=1) for n in g}


def components(
    source: Source,
    *,
    kind: str = "actors",
    field: str | None = None,
    status: str | None = None,
    as_of: Any = None,
    keep_undated: bool = True,
) -> Metric:
    """Connected components: which actors are linked, directly or not, by cooperation.

    Returns
    -------
    Metric
        ``"component"``, node IRI -> component number (1 is the largest).

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> sorted(components(sck.load(layers=["bandung-seoul"])).values())
    [1, 1]
    """
    graph, params = _graph(source, kind, _filters(field, status, as_of, keep_undated))
    simple = _simple(graph)
    return Metric(
        "component",
        dict(sorted(_numbered(nx.connected_components(simple)).items())),
        f"networkx {nx.__version__} connected_components, numbered by size",
        params,
    )


def communities(
    source: Source,
    *,
    kind: str = "actors",
    resolution: float = 1.0,
    field: str | None = None,
    status: str | None = None,
    as_of: Any = None,
    keep_undated: bool = True,
) -> Metric:
    """Communities of actors by modularity (Clauset–Newman–Moore greedy optimisation).

    Deterministic (no random seed is involved), weighted by the number of partnerships.

    Returns
    -------
    Metric
        ``"community"``, node IRI -> community number (1 is the largest).

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> len(set(communities(sck.load(layers=["bandung-seoul"])).values()))
    1
    """
    graph, params = _graph(source, kind, _filters(field, status, as_of, keep_undated))
    simple = _simple(graph)
    if simple.number_of_edges() == 0:
        found: list[set[str]] = [{n} for n in simple]
    else:
        found = list(nx.community.greedy_modularity_communities(simple, weight="weight", resolution=resolution))
    return Metric(
        "community",
        dict(sorted(_numbered(found).items())),
        f"networkx {nx.__version__} greedy_modularity_communities (Clauset-Newman-Moore), weight = partnerships",
        {**params, "resolution": resolution},
    )


def brokers(
    source: Source,
    *,
    kind: str = "actors",
    field: str | None = None,
    status: str | None = None,
    as_of: Any = None,
    keep_undated: bool = True,
) -> Metric:
    """Brokers between countries: for each actor, the pairs of its partners it alone connects
    across a national border.

    The score of actor *v* is the number of pairs {*u*, *w*} of *v*'s partners that are in
    different countries and are not partners of each other (an "open triad" across countries,
    the liaison and cosmopolitan roles of Gould and Fernandez, 1989, when *v* is in a third
    country or in one of theirs). Partners without a known country are not counted. Actors
    with a positive score are brokers; :meth:`Metric.ranked` lists them first.

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> brokers(sck.load(layers=["bandung-seoul"])).ranked()[0][1]   # one partnership: no actor brokers between others
    0
    """
    graph, params = _graph(source, kind, _filters(field, status, as_of, keep_undated))
    simple = _simple(graph)
    country = dict(simple.nodes(data="country_iri"))
    values: dict[Key, Value] = {}
    for v in _actor_nodes(simple, True):
        score = 0
        for u, w in combinations(sorted(simple[v]), 2):
            cu, cw = country.get(u), country.get(w)
            if cu and cw and cu != cw and not simple.has_edge(u, w):
                score += 1
        values[v] = score
    return Metric(
        "country-brokerage",
        values,
        "sistercity-kg brokers: pairs of partners in different countries not tied to each other (open triads)",
        params,
    )


# -- reciprocity -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reciprocity:
    """How reciprocal the cooperation between two partners is, activity by activity.

    In each activity of their partnerships, a partner *gives* when it takes part as
    ``provider`` or assists (``sck:assistedBy``) and *receives* as ``beneficiary``; taking part
    as ``participant`` or ``host``, or with no role, counts both ways (they do it together).

    Attributes
    ----------
    a, b : str
        The two partners (IRIs).
    a_to_b, b_to_a : int
        Activities in which ``a`` gives to ``b`` and in which ``b`` gives to ``a``.
    mutual : int
        Activities that count both ways.
    unattributed : int
        Activities of their partnerships in which neither is named as taking part.
    activities : int
        All activities considered (after the filters).
    """

    a: str
    b: str
    a_to_b: int
    b_to_a: int
    mutual: int
    unattributed: int
    activities: int
    parameters: dict[str, Any] = _field(default_factory=dict)

    @property
    def index(self) -> float | None:
        """Balance of the two directions: 1 is even, 0 all one way; None without any flow."""
        total = self.a_to_b + self.b_to_a
        if total == 0:
            return None
        return 1.0 - abs(self.a_to_b - self.b_to_a) / total

    def to_metric(self) -> Metric:
        """The index as a pair metric ``"reciprocity"`` keyed by ``(a, b)``."""
        index = self.index
        return Metric(
            "reciprocity",
            {} if index is None else {(self.a, self.b): index},
            "sistercity-kg reciprocity: 1 - |a_to_b - b_to_a| / (a_to_b + b_to_a) over participation roles",
            {**self.parameters, "a_to_b": self.a_to_b, "b_to_a": self.b_to_a, "mutual": self.mutual,
             "unattributed": self.unattributed, "activities": self.activities},
        )


_GIVES = {"provider"}
_RECEIVES = {"beneficiary"}


def _iri(value: object, argument: str) -> str:
    text = str(value)
    if not text or any(c in text for c in '<>"{}|^`\\ \n\t') or ":" not in text:
        raise ParameterError(f"{argument} must be an IRI, not {value!r}.")
    return text


def reciprocity(
    kg: KnowledgeGraph,
    a: str,
    b: str,
    *,
    field: str | None = None,
    status: str | None = None,
    as_of: Any = None,
    keep_undated: bool = True,
) -> Reciprocity:
    """Reciprocity of the cooperation between partners ``a`` and ``b`` (see :class:`Reciprocity`).

    One SPARQL query reads the activities of every partnership that has both as partners.

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> kg = sck.load(layers=["bandung-seoul"])
    >>> bandung = str(sck.id("actor", "Bandung City Government"))
    >>> seoul = str(sck.id("actor", "Seoul Metropolitan Government"))
    >>> r = reciprocity(kg, seoul, bandung, field="urban-governance")
    >>> (r.a_to_b, r.b_to_a, r.index)   # Seoul assists Bandung's river restoration
    (1, 0, 0.0)
    """
    a, b = _iri(a, "a"), _iri(b, "b")
    if a == b:
        raise ParameterError("reciprocity needs two different partners.")
    flt = _Filter(_concept(field, "field", "field"), _concept(status, "status", "status"),
                  parse_as_of(as_of), bool(keep_undated))
    partners = "?p a sck:Partnership ; sck:partner <%s> , <%s> ." % (a, b)
    query = f"""SELECT DISTINCT ?row ?s ?v ?x WHERE {{
      {_VOCABULARY}
      UNION {{ {partners} ?s {_ACTIVITY_OF} ?p . BIND("activity" AS ?row) }}
      UNION {{ {partners} ?s {_ACTIVITY_OF} ?p ; sck:hasParticipation ?q . ?q sck:participant ?v .
               OPTIONAL {{ ?q sck:role ?x }} BIND("role" AS ?row) }}
      UNION {{ {partners} ?s {_ACTIVITY_OF} ?p ; sck:assistedBy ?v . BIND("assist" AS ?row) }}
      {_attributes(partners + " ?s " + _ACTIVITY_OF + " ?p .")}
    }}"""
    facts: _Facts = _run(kg, query, "en")
    activities: set[str] = set()
    directions: dict[str, set[str]] = {}
    for row, s, v, x in facts.rows:
        act = s.value  # type: ignore[attr-defined]
        if row == "activity":
            activities.add(act)
            continue
        who = v.value  # type: ignore[attr-defined]
        if who not in (a, b):
            continue
        other = b if who == a else a
        role = local_name(x.value) if (row == "role" and x is not None) else ("provider" if row == "assist" else "")
        flows = directions.setdefault(act, set())
        if role in _GIVES:
            flows.add(f"{who}>{other}")
        elif role in _RECEIVES:
            flows.add(f"{other}>{who}")
        else:
            flows.update({f"{who}>{other}", f"{other}>{who}"})
    kept = sorted(act for act in activities if flt.activity_matches(facts, act))
    ab = sum(1 for act in kept if f"{a}>{b}" in directions.get(act, ()))
    ba = sum(1 for act in kept if f"{b}>{a}" in directions.get(act, ()))
    both = sum(1 for act in kept if {f"{a}>{b}", f"{b}>{a}"} <= directions.get(act, set()))
    none = sum(1 for act in kept if not directions.get(act))
    params = {"a": a, "b": b, **_filters(field, status, as_of, keep_undated)}
    return Reciprocity(a, b, ab, ba, both, none, len(kept), params)


# -- field coverage ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldCoverage:
    """Which of the fields a partnership declares its activities actually cover.

    Attributes
    ----------
    partnership : str
        The partnership IRI.
    declared : tuple of str
        Its ``sck:field`` values.
    activity_counts : dict
        Field IRI -> number of its activities in that field (after the filters).
    covered, uncovered : tuple of str
        Declared fields with and without any activity.
    undeclared : tuple of str
        Fields its activities are in that it does not declare.
    """

    partnership: str
    declared: tuple[str, ...]
    activity_counts: dict[str, int]
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]
    undeclared: tuple[str, ...]
    parameters: dict[str, Any] = _field(default_factory=dict)

    @property
    def coverage(self) -> float | None:
        """Share of the declared fields with at least one activity; None if none is declared."""
        return len(self.covered) / len(self.declared) if self.declared else None

    def to_metric(self) -> Metric:
        """The coverage as metric ``"field-coverage"`` of the partnership."""
        value = self.coverage
        return Metric(
            "field-coverage",
            {} if value is None else {self.partnership: value},
            "sistercity-kg field coverage: declared fields with at least one activity / declared fields",
            {**self.parameters, "activity_counts": {local_name(k): v for k, v in self.activity_counts.items()}},
        )


def field_coverage(
    kg: KnowledgeGraph,
    partnership: str,
    *,
    field: str | None = None,
    status: str | None = None,
    as_of: Any = None,
    keep_undated: bool = True,
) -> FieldCoverage:
    """Field coverage of a partnership: its declared fields against the fields of its activities.

    Activities count when they are ``sck:partOf`` the partnership or an agreement that
    establishes it, and pass the filters.

    Raises
    ------
    ParameterError
        If ``partnership`` is not a sck:Partnership of the graph.

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> cov = field_coverage(sck.load(layers=["bandung-seoul"]), str(sck.id("partnership", "bandung-seoul-sister-city")))
    >>> sorted((local_name(f), n) for f, n in cov.activity_counts.items())
    [('culture', 3), ('knowledge-exchange', 1), ('urban-governance', 1)]
    >>> cov.coverage
    1.0
    """
    partnership = _iri(partnership, "partnership")
    flt = _Filter(_concept(field, "field", "field"), _concept(status, "status", "status"),
                  parse_as_of(as_of), bool(keep_undated))
    facts = _run_kind(kg, "actors", "en")
    if partnership not in facts.attrs and partnership not in facts.stated and not any(
            r[0] == "activity" and getattr(r[1], "value", None) == partnership for r in facts.rows):
        raise ParameterError(f"{partnership} is not a sck:Partnership of this graph.")
    acts = sorted({x.value for row, s, v, x in facts.rows  # type: ignore[union-attr]
                   if row == "activity" and s.value == partnership})  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    for act in acts:
        if flt.activity_matches(facts, act):
            for f in facts.attr(act, "field"):
                counts[f] = counts.get(f, 0) + 1
    declared = tuple(sorted(facts.attr(partnership, "field")))
    return FieldCoverage(
        partnership,
        declared,
        dict(sorted(counts.items())),
        tuple(f for f in declared if counts.get(f)),
        tuple(f for f in declared if not counts.get(f)),
        tuple(sorted(set(counts) - set(declared))),
        {"partnership": partnership, **_filters(field, status, as_of, keep_undated)},
    )


# -- writing metrics back as RDF -----------------------------------------------------------


def _literal(value: Value) -> Literal:
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=_ns.XSD.integer)
    number = float(value)
    if math.isnan(number):
        return Literal("NaN", datatype=_ns.XSD.double)
    return Literal(number, datatype=_ns.XSD.double)


def write_back(
    kg: KnowledgeGraph,
    metrics: Metric | Reciprocity | FieldCoverage | Iterable[Metric | Reciprocity | FieldCoverage],
    *,
    graph: str | URIRef = METRICS_GRAPH,
    date: _dt.datetime | None = None,
    replace: bool = False,
) -> list[URIRef]:
    """Store metrics as RDF in a named graph of their own, saying how they were computed.

    Each metric becomes one ``sck:NetworkAnalysis`` (a ``prov:Activity``) with ``sck:method``,
    ``sck:parameters`` (JSON text: network kind, filters, options, software versions),
    ``prov:endedAtTime`` and ``prov:used`` (the named graphs analysed); each value becomes a
    ``sck:Measurement`` with ``sck:measuredEntity`` (one IRI, two for a pair), ``sck:metric``,
    ``sck:metricValue`` and ``prov:wasGeneratedBy`` the analysis.

    Parameters
    ----------
    kg : KnowledgeGraph
        Where to write.
    metrics : Metric, Reciprocity, FieldCoverage or an iterable of them
        What to write (anything with ``to_metric()``).
    graph : str or URIRef, default ``sckg:metrics``
        The named graph; kept apart from the asserted data.
    date : datetime, optional
        When the analysis ended; now (UTC, whole seconds) by default.
    replace : bool, default False
        Empty the named graph first.

    Returns
    -------
    list of URIRef
        The IRIs of the analyses written, one per metric.

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> kg = sck.load(layers=["bandung-seoul"])
    >>> [run] = write_back(kg, betweenness_centrality(kg))
    >>> q = "SELECT ?method WHERE { ?run a sck:NetworkAnalysis ; sck:method ?method }"
    >>> str(kg.sparql(sparql_prefixes() + q).values("method")[0])[:8]
    'networkx'
    """
    if isinstance(metrics, (Metric, Reciprocity, FieldCoverage)):
        metrics = [metrics]
    items = [m.to_metric() for m in metrics]
    when = (date or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0)
    target = URIRef(str(graph))
    if replace:
        kg.clear_graph(target)
    used = [g for g in kg.graph_names() if g != target]
    written: list[URIRef] = []
    triples: list[tuple[Any, Any, Any]] = []
    for metric in items:
        parameters = {**metric.parameters, "software": {"sistercity-kg": __version__, "networkx": nx.__version__}}
        params_json = json.dumps(parameters, sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.sha1(
            json.dumps([metric.name, metric.method, params_json, when.isoformat(),
                        sorted((str(k), float(v)) for k, v in metric.results.items())]).encode()
        ).hexdigest()[:12]
        slug = f"{slugify(metric.name)}-{digest}"
        run = URIRef(f"{SCKID}network-analysis/{slug}")
        written.append(run)
        triples += [
            (run, _ns.RDF.type, SCK.NetworkAnalysis),
            (run, _ns.RDFS.label, Literal(f"Network analysis: {metric.name}", lang="en")),
            (run, _ns.RDFS.label, Literal(f"Analisis jaringan: {metric.name}", lang="id")),
            (run, SCK.method, Literal(metric.method)),
            (run, SCK.parameters, Literal(params_json)),
            (run, _ns.PROV.endedAtTime, Literal(when.isoformat(), datatype=_ns.XSD.dateTime)),
        ]
        triples += [(run, _ns.PROV.used, g) for g in used]
        for key, value in metric.results.items():
            entities = key if isinstance(key, tuple) else (key,)
            key_hash = hashlib.sha1("\n".join(entities).encode()).hexdigest()[:10]
            m = URIRef(f"{SCKID}measurement/{slug}--{key_hash}")
            triples += [
                (m, _ns.RDF.type, SCK.Measurement),
                (m, SCK.metric, Literal(metric.name)),
                (m, SCK.metricValue, _literal(value)),
                (m, _ns.PROV.wasGeneratedBy, run),
            ]
            triples += [(m, SCK.measuredEntity, URIRef(e)) for e in entities]
    kg.add(triples, graph=target)
    return written
