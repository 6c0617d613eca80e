"""Network projections of a knowledge graph, as networkx graphs that understand the model.

rdflib's generic bridge turns every triple into an edge and every literal into a node, so a
shared year or label becomes a hub joining unrelated things. The projections here read the
model instead: nodes are IRIs (as strings) with readable attributes, literals are only ever
attributes, and each projection is **one SPARQL query** over the union of the graphs followed
by one pass in Python (linear in the size of the graph, never a query per node). On the
embedded store the query's last branch, the node descriptions, runs as a second query in a
second thread while the first is read.

Kinds
-----
``"actors"``
    :class:`networkx.MultiGraph`. Nodes are the partners of partnerships: sub-state actors,
    or jurisdictions when a partnership (e.g. an imported twinning) names the territories.
    One edge per partnership and pair of partners (an n-ary partnership becomes a clique),
    keyed by the partnership IRI, carrying ``partnership``, ``label``, ``partnership_type``,
    ``fields`` (IRIs, ``;``-separated in exports), ``field_labels``, ``activities`` (count),
    ``activities_by_status`` (``{"completed": 1, ...}``), and ``start``/``end`` when stated.
``"cooperation"``
    :class:`networkx.MultiDiGraph` of actors, jurisdictions, partnerships, agreements,
    activities, programmes, fields, places and source documents. Each edge is keyed by the
    local name of its predicate (``partner``, ``partOf``, ``field``, ``locatedIn`` ...) and has
    ``predicate`` (the IRI) and ``label``. Two chains are shortened to one edge each, so that
    intermediate records do not clutter the network: activity ``sck:hasParticipation/sck:participant``
    actor becomes an edge ``participant`` with the ``role``; node ``prov:wasDerivedFrom/sck:inDocument``
    document becomes an edge ``wasDerivedFrom`` with the passage ``locators``.
``"fields"``
    Bipartite :class:`networkx.Graph` actor–field (``bipartite`` 0 and 1). An actor is tied to
    the field of every activity it takes part in (``sck:hasParticipation``) or assists
    (``sck:assistedBy``); ``weight`` is the number of such activities, ``activities`` lists them.
``"policy-transfer"``
    :class:`networkx.DiGraph` from the emulated programme (or activity) to the one that
    emulates it (``sck:emulates``, read backwards so that arrows follow the transfer).

Node attributes: ``label`` (in ``lang``, else English, else any, else the IRI's local name),
``type`` (local name of the most specific sck: class), ``type_label``, ``group`` (one of
``actor``, ``jurisdiction``, ``partnership``, ``agreement``, ``activity``, ``programme``,
``field``, ``place``, ``source``), and ``country``/``country_iri`` when known (stated with
``sck:country``, else through the jurisdiction governed, the actor running a programme, or the
places something is located in). Attributes that are unknown are absent, never ``None``.

Filters (every kind)
--------------------
``field``
    A field concept, as IRI or slug (``"culture"``). Activities must have that field;
    partnerships must have it or have an activity in it.
``status``
    A status concept, IRI or slug (``"completed"``). Only activities with that status count;
    an actors edge needs at least one of them.
``as_of``
    A date (``datetime.date`` or ``"YYYY-MM-DD"``): only partnerships, agreements, activities
    and programmes that had started by then and had not ended. Dates of year or month
    precision are read generously (a start in ``2014`` may be 1 January; an end in ``2014`` may
    be 31 December). **Undated items are kept** (``keep_undated=True``): most sources, the
    bundled thesis chapter among them, give no dates, and dropping them would silently empty
    the network. Pass ``keep_undated=False`` to keep only what is dated and in force.

Examples
--------
>>> import sistercity_kg as sck
>>> kg = sck.load(layers=["bandung-seoul"])
>>> g = network(kg, "actors")
>>> sorted(g.nodes[n]["label"] for n in g)
['Bandung City Government', 'Seoul Metropolitan Government']
>>> [d["activities_by_status"] for _, _, d in g.edges(data=True)]
[{'completed': 1, 'intended': 1, 'ongoing': 1, 'planned': 1, 'under-construction': 1}]
>>> g = network(kg, "actors", status="completed", lang="id")
>>> [d["label"] for _, _, d in g.edges(data=True)]
['Kerja sama Sister City Bandung–Seoul']
"""

from __future__ import annotations

import calendar
import datetime as _dt
import gc
import re
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field as _field
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

import networkx as nx
import pyoxigraph as ox

from .errors import ParameterError, QueryError
from .namespaces import PREFIXES, sparql_prefixes
from .terms import to_oxigraph, tsv_literal, tsv_table

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["KINDS", "GROUPS", "network", "local_name", "parse_as_of"]

SCK = PREFIXES["sck"]
SCKC = PREFIXES["sckc"]
_RDF_TYPE = PREFIXES["rdf"] + "type"

#: The projection kinds :func:`network` builds.
KINDS = ("actors", "cooperation", "fields", "policy-transfer")

#: Node groups, by the sck: class whose instances (and subclass instances) form them.
GROUPS: dict[str, str] = {
    SCK + "SubStateActor": "actor",
    SCK + "Jurisdiction": "jurisdiction",
    SCK + "Partnership": "partnership",
    SCK + "Agreement": "agreement",
    SCK + "CooperationActivity": "activity",
    SCK + "Programme": "programme",
    SCK + "CooperationField": "field",
    SCK + "Place": "place",
    SCK + "SourceDocument": "source",
}

#: Predicates kept as edges of the cooperation network (between nodes of the groups above).
_COOPERATION_PREDICATES = (
    "partner", "partOf", "field", "topic", "emulates", "runBy", "assistedBy",
    "locatedIn", "governs", "establishes", "party",
)

_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

# -- the shared parts of every projection query ----------------------------------------
#
# Each query is a UNION of branches that all bind ?row (what the row is), ?s, ?v and
# optionally ?x. The vocabulary branches return a constant amount (class hierarchy and the
# labels of sck: classes and concepts); the node branches return labels, types and countries
# of the nodes a projection needs; the rest are the facts of the projection.

_VOCABULARY = """
  { ?s rdfs:subClassOf ?v . FILTER(STRSTARTS(STR(?s), STR(sck:))) BIND("sub" AS ?row) }
  UNION { ?s a owl:Class ; rdfs:label ?v . FILTER(STRSTARTS(STR(?s), STR(sck:))) BIND("label" AS ?row) }
  UNION { ?s skos:inScheme ?scheme ; skos:prefLabel ?v . BIND("label" AS ?row) }
"""

# A country is stated on actors and jurisdictions; other nodes reach one through the
# jurisdiction they govern or are governed by, the actor running them, or their places.
_COUNTRY_PATH = "(sck:governs|sck:governedBy|sck:runBy|sck:locatedIn+)/sck:country"


def _describe(pattern: str) -> str:
    """Branch giving labels, types and countries (with their labels) of the nodes ``pattern`` binds to ``?s``.

    The nodes are found once (a DISTINCT sub-select, so the rows grow with the number of nodes,
    not of their links) and each is then described by an OPTIONAL, which Oxigraph evaluates node
    by node: finding the nodes once per kind of description made the actors network of the world
    twin list (17,703 nodes) twice as slow. A country row carries the country in ``?x`` and, when
    it has any, one of its labels in ``?v`` (one row per label). A country reached along
    :data:`_COUNTRY_PATH` is only looked for when none is stated (it is only read then), which
    spares a path and a row for each of the 17,703 actors of the world twin list.
    """
    return f"""
  UNION {{ {{ SELECT DISTINCT ?s WHERE {{ {pattern} }} }}
           OPTIONAL {{ {{ ?s rdfs:label ?v . BIND("label" AS ?row) }}
                       UNION {{ ?s a ?v . BIND("type" AS ?row) }}
                       UNION {{ {{ ?s sck:country ?x . BIND("country" AS ?row) }}
                                UNION {{ FILTER NOT EXISTS {{ ?s sck:country ?stated . FILTER(!isLiteral(?stated)) }}
                                         ?s {_COUNTRY_PATH} ?x . BIND("country2" AS ?row) }}
                                OPTIONAL {{ ?x rdfs:label ?v }} }} }} }}
"""


_ATTRIBUTES = "sck:status sck:field sck:startDate sck:endDate sck:signingDate"


def _attributes(pattern: str) -> str:
    """Branch giving the status, field and dates of the items ``pattern`` binds to ``?s``."""
    return f"""
  UNION {{ {pattern} ?s ?x ?v .
           VALUES ?x {{ {_ATTRIBUTES} }}
           BIND("attr" AS ?row) }}
"""


# Partners of partnerships, whether actors or jurisdictions (importers name territories).
_ACTORS_NODES = "?p0 a sck:Partnership ; sck:partner ?s ."
# Activities of a partnership, directly or through an agreement that establishes it.
_ACTIVITY_OF = "sck:partOf/sck:establishes?"

# The facts of a partnership hang off one ``?s a sck:Partnership`` (but not its activities:
# evaluated per partnership, the path to them took seconds on 100k triples), and the rows are
# not made DISTINCT: reading them is idempotent (sets, and the smallest or first of several
# values), so the few repeats (a triple stated in several named graphs) cost less than
# de-duplicating ~175k rows on a large graph.
_ACTORS_QUERY = f"""SELECT ?row ?s ?v ?x WHERE {{
  {_VOCABULARY}
  UNION {{ ?s a sck:Partnership .
           {{ ?s sck:partner ?v . BIND("partner" AS ?row) }}
           UNION {{ ?s sck:partnershipType ?v . BIND("ptype" AS ?row) }}
           UNION {{ ?s rdfs:label ?v . BIND("label" AS ?row) }}
           UNION {{ ?s ?x ?v . VALUES ?x {{ {_ATTRIBUTES} }} BIND("attr" AS ?row) }} }}
  UNION {{ ?x a sck:CooperationActivity ; {_ACTIVITY_OF} ?s . ?s a sck:Partnership . BIND("activity" AS ?row) }}
  {_attributes("?s a sck:CooperationActivity .")}
  {_describe(_ACTORS_NODES)}
}}"""

_NODE_PATTERN = "?s a/rdfs:subClassOf* ?root . VALUES ?root { %s }" % " ".join(f"<{c}>" for c in GROUPS)

_COOPERATION_QUERY = f"""SELECT DISTINCT ?row ?s ?v ?x WHERE {{
  {_VOCABULARY}
  UNION {{ {_NODE_PATTERN} BIND(?root AS ?v) BIND("node" AS ?row) }}
  UNION {{ ?s ?x ?v . VALUES ?x {{ {" ".join("sck:" + p for p in _COOPERATION_PREDICATES)} }}
           FILTER(isIRI(?v) || isBlank(?v)) BIND("edge" AS ?row) }}
  UNION {{ ?s sck:hasParticipation ?q . ?q sck:participant ?v . OPTIONAL {{ ?q sck:role ?x }}
           BIND("participant" AS ?row) }}
  UNION {{ ?s prov:wasDerivedFrom ?q . ?q sck:inDocument ?v . OPTIONAL {{ ?q sck:locator ?x }}
           BIND("source" AS ?row) }}
  UNION {{ ?s prov:wasDerivedFrom ?v . ?v a sck:SourceDocument . BIND("source" AS ?row) }}
  {_attributes(_NODE_PATTERN)}
  {_describe(_NODE_PATTERN)}
}}"""

_FIELDS_NODES = (
    "{ ?a0 sck:hasParticipation/sck:participant ?s } UNION { ?a0 sck:assistedBy ?s } "
    "?a0 a sck:CooperationActivity ."
)

_FIELDS_QUERY = f"""SELECT DISTINCT ?row ?s ?v ?x WHERE {{
  {_VOCABULARY}
  UNION {{ ?x a sck:CooperationActivity ; sck:hasParticipation/sck:participant ?s .
           BIND("involves" AS ?row) }}
  UNION {{ ?x a sck:CooperationActivity ; sck:assistedBy ?s . BIND("involves" AS ?row) }}
  UNION {{ ?s a sck:CooperationActivity ; rdfs:label ?v . BIND("label" AS ?row) }}
  UNION {{ ?s a sck:CooperationField ; rdfs:label|skos:prefLabel ?v . BIND("label" AS ?row) }}
  UNION {{ ?s a sck:CooperationField . BIND(sck:CooperationField AS ?v) BIND("type" AS ?row) }}
  UNION {{ ?x a sck:CooperationActivity ; {_ACTIVITY_OF} ?s . ?s a sck:Partnership . BIND("activity" AS ?row) }}
  UNION {{ ?s a sck:Partnership ; rdfs:label ?v . BIND("label" AS ?row) }}
  {_attributes("?s a sck:CooperationActivity .")}
  {_describe(_FIELDS_NODES)}
}}"""

_TRANSFER_NODES = "{ ?s sck:emulates ?o0 } UNION { ?o0 sck:emulates ?s }"

_TRANSFER_QUERY = f"""SELECT DISTINCT ?row ?s ?v ?x WHERE {{
  {_VOCABULARY}
  UNION {{ ?s sck:emulates ?v . BIND("emulates" AS ?row) }}
  UNION {{ ?s sck:emulates ?o0 ; sck:assistedBy ?v . BIND("assisted" AS ?row) }}
  UNION {{ ?s sck:emulates ?o0 ; sck:assistedBy ?x . ?x rdfs:label ?v . BIND("alabel" AS ?row) }}
  UNION {{ ?x a sck:CooperationActivity ; {_ACTIVITY_OF} ?s . ?s a sck:Partnership . BIND("activity" AS ?row) }}
  UNION {{ ?s a sck:Partnership ; rdfs:label ?v . BIND("label" AS ?row) }}
  {_attributes(_TRANSFER_NODES)}
  {_describe(_TRANSFER_NODES)}
}}"""

_QUERIES = {
    "actors": _ACTORS_QUERY,
    "cooperation": _COOPERATION_QUERY,
    "fields": _FIELDS_QUERY,
    "policy-transfer": _TRANSFER_QUERY,
}

#: The nodes each projection describes (the pattern given to :func:`_describe` in its query).
_NODES = {
    "actors": _ACTORS_NODES,
    "cooperation": _NODE_PATTERN,
    "fields": _FIELDS_NODES,
    "policy-transfer": _TRANSFER_NODES,
}


def _split(kind: str) -> tuple[str, str]:
    """A projection query as two: without its last branch (the node descriptions), and that
    branch alone; both with the prefixes and the query's own SELECT (DISTINCT or not).

    Reading the two answers gives the facts the whole query gives: the only rows whose order
    counts (partners, partnership types, the rows kept for the builders) are all in the first, and the descriptions are read
    into sets and the smallest of several labels. Where the whole query is DISTINCT, a row could
    now come in both answers; reading rows is idempotent, so a repeated row changes nothing.
    """
    whole, branch = _QUERIES[kind], _describe(_NODES[kind])
    if whole.count(branch) != 1 or whole[whole.index(branch) + len(branch):].strip() != "}":  # pragma: no cover
        raise AssertionError(f"the {kind} query does not end with its node descriptions")
    select = whole[: whole.index("WHERE")]
    alone = branch.strip()[len("UNION"):]
    return sparql_prefixes() + whole.replace(branch, ""), f"{sparql_prefixes()}{select}WHERE {{{alone}\n}}"


_SPLIT = {kind: _split(kind) for kind in _QUERIES}


# -- small helpers ---------------------------------------------------------------------


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/sistercity-kg/concept/status/under-construction")
    'under-construction'
    >>> local_name("https://w3id.org/sistercity-kg/ontology#CityGovernment")
    'CityGovernment'
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def parse_as_of(value: _dt.date | str | None) -> _dt.date | None:
    """Read an ``as_of`` date: a :class:`datetime.date` or an ISO ``YYYY-MM-DD`` string.

    Raises
    ------
    ParameterError
        If the value is not a date.

    >>> parse_as_of("2015-06-30")
    datetime.date(2015, 6, 30)
    """
    if value is None or (isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)):
        return value
    if isinstance(value, _dt.datetime):
        return value.date()
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(f"as_of must be a date like 2015-06-30, not {value!r}.") from None


def _date_bounds(text: str) -> tuple[_dt.date, _dt.date] | None:
    """Earliest and latest day an xsd:date, xsd:gYearMonth or xsd:gYear value can mean."""
    m = re.match(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not m:
        return None
    try:
        year = int(m.group(1))
        if m.group(3):
            day = _dt.date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            return _dt.date(year, month, 1), _dt.date(year, month, calendar.monthrange(year, month)[1])
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    except ValueError:
        return None


def _concept(value: str | None, scheme: str, argument: str) -> str | None:
    """Turn a slug or IRI of a concept of ``scheme`` into the IRI."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        raise ParameterError(f"{argument} must name a concept of sckc:{scheme}, e.g. a slug such as 'culture'.")
    if "://" in value:
        return value
    if value.startswith(f"sckc:{scheme}/"):
        value = value.split("/", 1)[1]
    if not re.fullmatch(r"[\w-]+", value):
        raise ParameterError(f"{argument}={value!r} is neither an IRI nor a slug of sckc:{scheme}.")
    return f"{SCKC}{scheme}/{value}"


def _check_lang(lang: str) -> str:
    if not _LANG_TAG.match(lang or ""):
        raise ParameterError(f"lang must be a language tag such as 'en' or 'id', not {lang!r}.")
    return lang.lower()


def _value(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value  # type: ignore[attr-defined]


def _is_node(term: object) -> bool:
    """Only IRIs and blank nodes may become network nodes; literals never do."""
    return isinstance(term, (ox.NamedNode, ox.BlankNode))


# -- one pass over the rows ------------------------------------------------------------


_EMPTY: frozenset[str] = frozenset()


@dataclass
class _Facts:
    """What the rows of one projection query say, gathered in one pass."""

    lang: str
    labels: dict[str, dict[str, str]] = _field(default_factory=lambda: defaultdict(dict))
    types: dict[str, set[str]] = _field(default_factory=lambda: defaultdict(set))
    supers: dict[str, set[str]] = _field(default_factory=lambda: defaultdict(set))
    country: dict[str, set[str]] = _field(default_factory=lambda: defaultdict(set))
    country2: dict[str, set[str]] = _field(default_factory=lambda: defaultdict(set))
    attrs: dict[str, dict[str, set[str]]] = _field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    rows: list[tuple[str, object, object, object]] = _field(default_factory=list)
    #: Partnership -> its partners that are nodes (IRIs or "_:" blank nodes), in row order.
    partners: dict[str, dict[str, None]] = _field(default_factory=lambda: defaultdict(dict))
    #: Partnership -> its partnership type (the first row's, if several).
    ptypes: dict[str, str] = _field(default_factory=dict)
    #: Subjects of partner and partnership type rows, whatever their values.
    stated: set[str] = _field(default_factory=set)
    _ancestors: dict[str, set[str]] = _field(default_factory=dict)
    _classes: dict[frozenset[str], tuple[str | None, str | None, str | None]] = _field(default_factory=dict)

    def __post_init__(self) -> None:
        self._preference = (self.lang, self.lang.split("-")[0], "en", "")

    def take_all(self, solutions: Iterable[Sequence[object]]) -> None:
        """Read the rows ``(?row, ?s, ?v, ?x)`` of a projection query, as pyoxigraph terms.

        A row without ``?row`` (an OPTIONAL that found nothing to say about a node) is skipped.
        Partners and partnership types go to :attr:`partners` and :attr:`ptypes`; rows of other
        kinds that are not about labels, types, countries or attributes go to :attr:`rows`.
        This loop reads every row of the query (~175k for the actors network of the world twin
        list), so it binds what it uses to locals and tests the frequent kinds of row first.
        """
        labels, types, supers, attrs = self.labels, self.types, self.supers, self.attrs
        partners, ptypes, stated = self.partners, self.ptypes, self.stated
        countries = {"country": self.country, "country2": self.country2}
        keep = self.rows.append
        named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
        names: dict[str, str] = {}
        for tag, s, v, x in solutions:
            if tag is None:
                continue
            row = tag.value  # type: ignore[attr-defined]
            if row == "partner" or row == "ptype":
                key = s.value if type(s) is named else _value(s)  # type: ignore[attr-defined]
                stated.add(key)
                if type(v) is named or type(v) is blank:  # literals never become nodes
                    value = v.value if type(v) is named else "_:" + v.value  # type: ignore[attr-defined]
                    if row == "partner":
                        partners[key][value] = None
                    elif key not in ptypes:  # several types (invalid data): the first row's
                        ptypes[key] = value
                continue
            if row == "label" or row == "clabel" or row == "alabel":
                target = s if row == "label" else x
                if target is None or not isinstance(v, literal):
                    continue
                found = labels[target.value if type(target) is named else _value(target)]  # type: ignore[attr-defined]
            elif row == "type":
                if type(v) is named:
                    types[s.value if type(s) is named else _value(s)].add(v.value)  # type: ignore[attr-defined]
                continue
            elif row in countries:
                # The country in ?x, with one of its labels (if any) in ?v.
                if type(x) is named:
                    key = x.value  # type: ignore[attr-defined]
                elif type(x) is blank:
                    key = "_:" + x.value  # type: ignore[attr-defined]
                else:
                    continue
                countries[row][s.value if type(s) is named else _value(s)].add(key)  # type: ignore[attr-defined]
                if not isinstance(v, literal):
                    continue
                found = labels[key]
            elif row == "attr":
                predicate = _value(x)
                name = names.get(predicate)
                if name is None:
                    name = names[predicate] = local_name(predicate)
                attrs[_value(s)][name].add(v.value if isinstance(v, literal) else _value(v))  # type: ignore[attr-defined]
                continue
            elif row == "sub":
                supers[_value(s)].add(_value(v))
                continue
            else:
                keep((row, s, v, x))
                continue
            # A label: the smallest of several in one language, so that output is stable.
            lang = v.language  # type: ignore[attr-defined]
            lang = lang.lower() if lang else ""
            text = v.value  # type: ignore[attr-defined]
            if lang not in found or text < found[lang]:
                found[lang] = text

    def take_tsv(self, rows: Iterable[list[str]]) -> None:
        """:meth:`take_all` for the node descriptions (:func:`_describe`) as rows of Oxigraph's TSV
        answer (:func:`~sistercity_kg.terms.tsv_table`): their labels, types and countries, ~53,000 rows for the actors network
        of the world twin list, read from the text without a term for each field.
        ``tests/test_network.py`` checks that both readings give the same network.
        """
        labels, types = self.labels, self.types
        countries = {"country": self.country, "country2": self.country2}
        for tag, s, v, x in rows:
            row = tag[1:-1]  # "" when unbound (a node with nothing to describe)
            first = v[:1]
            key = s[1:-1] if s[:1] == "<" else s  # an IRI, or "_:id" as _value gives
            if row == "label":
                if not first or first == "<" or first == "_":  # not a literal
                    continue
                found = labels[key]
            elif row == "type":
                if first == "<":
                    types[key].add(v[1:-1])
                continue
            elif row in countries:
                # The country in ?x, with one of its labels (if any) in ?v.
                if x[:1] == "<":
                    country = x[1:-1]
                elif x[:1] == "_":
                    country = x
                else:
                    continue
                countries[row][key].add(country)
                if not first or first == "<" or first == "_":
                    continue
                found = labels[country]
            elif row:  # pragma: no cover - _describe binds only the kinds above
                raise AssertionError(f"a node description of unknown kind {row!r}")
            else:
                continue
            # A label: the smallest of several in one language, so that output is stable.
            text, lang = tsv_literal(v)
            if lang not in found or text < found[lang]:
                found[lang] = text

    # -- readable attributes -------------------------------------------------------

    def label(self, iri: str) -> str:
        """The label in the chosen language, else English, else untagged, else any, else the local name."""
        found = self.labels.get(iri)
        if not found:
            return local_name(iri)
        text = found.get(self.lang)  # the usual case, asked ~90,000 times on the world twin list
        if text is not None:
            return text
        for lang in self._preference:
            if lang in found:
                return found[lang]
        return found[min(found)]

    def ancestors(self, cls: str) -> set[str]:
        cached = self._ancestors.get(cls)
        if cached is not None:
            return cached
        seen: set[str] = set()
        todo = [cls]
        while todo:
            c = todo.pop()
            for sup in self.supers.get(c, ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        self._ancestors[cls] = seen
        return seen

    def most_specific(self, iri: str) -> str | None:
        """The most specific sck: class among the types of ``iri`` (ties broken by name)."""
        classes = {c for c in self.types.get(iri, ()) if c.startswith(SCK)}
        if not classes:
            return None
        inherited = set().union(*(self.ancestors(c) for c in classes))
        candidates = sorted(classes - inherited) or sorted(classes)
        return candidates[0]

    def group(self, iri: str) -> str | None:
        for cls in sorted(self.types.get(iri, ())):
            for candidate in (cls, *sorted(self.ancestors(cls))):
                if candidate in GROUPS:
                    return GROUPS[candidate]
        return None

    def node_attributes(self, iri: str) -> dict[str, object]:
        """``label``, ``type``, ``type_label``, ``group``, ``country``, ``country_iri`` (when known)."""
        data: dict[str, object] = {"label": self.label(iri)}
        types = self.types.get(iri)
        if types:
            # Type and group depend on the set of classes only: computed once per set
            # (on a large graph most nodes share one or two sets).
            key = frozenset(types)
            found = self._classes.get(key)
            if found is None:
                cls = self.most_specific(iri)
                if cls is None:
                    found = (None, None, self.group(iri))
                else:
                    found = (local_name(cls), self.label(cls), self.group(iri))
                self._classes[key] = found
            kind, kind_label, group = found
            if kind is not None:
                data["type"] = kind
                data["type_label"] = kind_label
            if group is not None:
                data["group"] = group
        countries = self.country.get(iri) or self.country2.get(iri)
        if countries:
            first = min(countries)
            data["country_iri"] = first
            data["country"] = self.label(first)
        return data

    def attr(self, iri: str, name: str) -> set[str] | frozenset[str]:
        """The values of attribute ``name`` (``status``, ``field``, ``startDate`` ...) of ``iri``; do not change them."""
        found = self.attrs.get(iri)
        return found.get(name, _EMPTY) if found else _EMPTY


def _run(kg: KnowledgeGraph, query: str, lang: str) -> _Facts:
    """The facts of one projection query's answer (its text, without prefixes)."""
    facts = _Facts(lang=lang)
    store = _embedded(kg)
    if store is None:
        # Any other store: the public query API, converting its rdflib terms back.
        facts.take_all(
            tuple(None if answer.get(k) is None else to_oxigraph(answer[k]) for k in ("row", "s", "v", "x"))
            for answer in kg.sparql(sparql_prefixes() + query).rows
        )
        return facts
    # The embedded Oxigraph store directly: no conversion of each term to rdflib,
    # which matters at the scale of tens of thousands of partnerships.
    facts.take_all(_solutions(store, sparql_prefixes() + query))  # type: ignore[arg-type]
    return facts


def _run_kind(kg: KnowledgeGraph, kind: str, lang: str) -> _Facts:
    """The facts of the projection ``kind``, as :func:`_run` of its query gives them.

    On the embedded store the node descriptions (the query's last branch, about 40% of
    Oxigraph's work on the world twin list) are computed in a second thread as Oxigraph's TSV
    text, which Oxigraph writes without Python's lock, while this thread reads the rest; they
    are read after it (see :func:`_split`; twin list: 1.81 -> 1.56 s).
    The descriptions are read from the text without making a term for each field
    (:meth:`_Facts.take_tsv`). Reading the rest as TSV too, streamed through a pipe while
    Oxigraph wrote it, measured no faster: with the descriptions' thread, both cores are busy.
    """
    store = _embedded(kg)
    if store is None:
        return _run(kg, _QUERIES[kind], lang)
    facts = _Facts(lang=lang)
    head, describe = _SPLIT[kind]
    described: dict[str, object] = {}
    worker = threading.Thread(target=_tsv_into, args=(store, describe, described), name="sistercity-kg network", daemon=True)
    worker.start()
    try:
        facts.take_all(_solutions(store, head))  # type: ignore[arg-type]
    finally:
        worker.join()
    if "error" in described:  # pragma: no cover - queries are fixed
        raise QueryError(f"The network query failed: {described['error']}.")
    names, rows = tsv_table(described["tsv"])  # type: ignore[arg-type]
    if names != ["row", "s", "v", "x"]:  # pragma: no cover - every projection query selects these
        raise QueryError(f"Unexpected network query columns: {names}.")
    facts.take_tsv(rows)
    return facts


def _embedded(kg: KnowledgeGraph) -> ox.Store | None:
    try:
        return kg._store
    except Exception:  # noqa: BLE001 - a knowledge graph over a SPARQL server has no embedded store
        return None


def _solutions(store: ox.Store, text: str) -> Iterable[Sequence[object]]:
    """The solutions of a projection query, each unpacking to ?row ?s ?v ?x."""
    try:
        solutions = store.query(text, use_default_graph_as_union=True)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:  # pragma: no cover - queries are fixed
        raise QueryError(f"The network query failed: {exc}.") from None
    if [v.value for v in solutions.variables] == ["row", "s", "v", "x"]:  # type: ignore[union-attr]
        return solutions  # type: ignore[return-value] # a solution unpacks to its values in that order
    return ((sol["row"], sol["s"], sol["v"], sol["x"]) for sol in solutions)  # type: ignore[index] # pragma: no cover


def _tsv_into(store: ox.Store, query: str, out: dict[str, object]) -> None:
    try:
        out["tsv"] = store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)
    except Exception as exc:  # noqa: BLE001 - re-raised by _run in the caller's thread
        out["error"] = exc


# -- filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Filter:
    field: str | None
    status: str | None
    as_of: _dt.date | None
    keep_undated: bool

    @property
    def active(self) -> bool:
        return self.field is not None or self.status is not None or self.as_of is not None

    def in_force(self, facts: _Facts, iri: str) -> bool:
        """Started by ``as_of`` and not ended (undated items follow ``keep_undated``)."""
        if self.as_of is None:
            return True
        starts = [b for b in map(_date_bounds, facts.attr(iri, "startDate") | facts.attr(iri, "signingDate")) if b]
        ends = [b for b in map(_date_bounds, facts.attr(iri, "endDate")) if b]
        if not starts and not ends:
            return self.keep_undated
        if starts and min(b[0] for b in starts) > self.as_of:
            return False
        if ends and max(b[1] for b in ends) < self.as_of:
            return False
        return True

    def activity_matches(self, facts: _Facts, iri: str) -> bool:
        if self.field is not None and self.field not in facts.attr(iri, "field"):
            return False
        if self.status is not None and self.status not in facts.attr(iri, "status"):
            return False
        return self.in_force(facts, iri)


# -- the projections -------------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a projection is built.

    A projection allocates hundreds of thousands of tuples, sets and dicts that all stay alive
    until it returns, and none of them forms a garbage cycle; yet every few hundred allocations
    make the collector walk everything young, and now and then everything alive. On the world
    twin list that walking was a third of the time of the actors network. The collector runs
    again afterwards, unless it was off already (the caller's choice).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def network(
    kg: KnowledgeGraph,
    kind: str = "actors",
    *,
    field: str | None = None,
    status: str | None = None,
    as_of: _dt.date | str | None = None,
    keep_undated: bool = True,
    lang: str = "en",
) -> nx.Graph:
    """Project the knowledge graph onto a networkx graph of one of :data:`KINDS`.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to project (the union of its named graphs).
    kind : {"actors", "cooperation", "fields", "policy-transfer"}
        Which network; see the module documentation.
    field : str, optional
        Keep only what concerns this field (IRI or slug of ``sckc:field``, e.g. ``"culture"``).
    status : str, optional
        Count only activities with this status (IRI or slug of ``sckc:status``).
    as_of : datetime.date or str, optional
        Keep only what had started and not ended by this date (``"YYYY-MM-DD"``).
    keep_undated : bool, default True
        With ``as_of``, keep items that have no date at all (the bundled data has none).
    lang : str, default "en"
        Language of the ``label`` attributes (falls back to English, then any label).

    Returns
    -------
    networkx.Graph
        A MultiGraph (actors), MultiDiGraph (cooperation), Graph (fields) or DiGraph
        (policy-transfer). ``graph.graph`` holds ``kind``, ``lang`` and the filters used.

    Raises
    ------
    ParameterError
        If the kind, a filter or the language is not understood.

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> kg = sck.load(layers=["bandung-seoul"])
    >>> g = network(kg, "fields")
    >>> bandung = str(sck.id("actor", "Bandung City Government"))
    >>> sorted((g.nodes[f]["label"], d["weight"]) for f, d in g[bandung].items())
    [('culture', 2), ('knowledge and information exchange', 1), ('urban governance', 1)]
    >>> g = network(kg, "policy-transfer")
    >>> [(g.nodes[a]["label"], g.nodes[b]["label"]) for a, b in g.edges]
    [('Cheonggyecheon restoration programme', 'Restoration of the Cikapundung and Cikapayang rivers')]
    """
    if kind not in KINDS:
        raise ParameterError(f"Unknown network kind {kind!r}; choose one of {', '.join(KINDS)}.")
    lang = _check_lang(lang)
    flt = _Filter(
        field=_concept(field, "field", "field"),
        status=_concept(status, "status", "status"),
        as_of=parse_as_of(as_of),
        keep_undated=bool(keep_undated),
    )
    builder = {
        "actors": _actors,
        "cooperation": _cooperation,
        "fields": _fields,
        "policy-transfer": _policy_transfer,
    }[kind]
    with _collector_paused():
        facts = _run_kind(kg, kind, lang)
        graph, on_edges = builder(facts, flt)
        partnerships = _partnerships(graph, facts, on_edges)
    graph.graph.update(
        {
            "partnerships": [facts.label(p) for p in partnerships],
            "kind": kind,
            "lang": lang,
            **({"field": flt.field} if flt.field else {}),
            **({"status": flt.status} if flt.status else {}),
            **({"as_of": flt.as_of.isoformat(), "keep_undated": flt.keep_undated} if flt.as_of else {}),
        }
    )
    return graph


def _partnerships(graph: nx.Graph, facts: _Facts, on_edges: set[str] | None = None) -> list[str]:
    """The partnerships a projection shows: edges, nodes, or those of the activities it shows.

    ``on_edges``, when the builder knows them, are the partnerships of the edges (whose
    ``activities`` are then counts, not lists), so that the edges need not be read again.
    """
    found: set[str] = set()
    activities: set[str] = set()
    if on_edges is not None:
        found |= on_edges
    else:
        for *_, d in graph.edges(data=True):
            if d.get("partnership"):
                found.add(str(d["partnership"]))
            if isinstance(d.get("activities"), list):
                activities.update(d["activities"])
    for n, d in graph.nodes.items():
        group = d.get("group")
        if group == "partnership":
            found.add(n)
        elif group == "activity":
            activities.add(n)
    if activities:
        found |= {_value(s) for row, s, v, x in facts.rows if row == "activity" and x is not None and _value(x) in activities}
    return sorted(found)


def _add_node(graph: nx.Graph, facts: _Facts, term: object, **extra: object) -> str:
    """Add an IRI or blank node with its readable attributes; literals are refused."""
    if not _is_node(term):
        raise TypeError(f"a literal cannot be a network node: {term!r}")  # guarded by the callers
    iri = _value(term)
    if iri not in graph:
        graph.add_node(iri, **facts.node_attributes(iri), **extra)
    return iri


def _actors(facts: _Facts, flt: _Filter) -> tuple[nx.MultiGraph, set[str]]:
    """The actors network and the partnerships on its edges (the other builders return None)."""
    # Partners come in the order of the rows: a new node joins the graph in that order, which
    # decides the orientation networkx reports its edges in.
    partners, ptype = facts.partners, facts.ptypes
    activities: dict[str, set[str]] = defaultdict(set)
    for row, s, v, x in facts.rows:
        if row == "activity":
            activities[_value(s)].add(_value(x))

    # Nodes (with their attributes, once each) and edges are gathered first, then added in
    # bulk, in the order of the partnerships. Partnerships without activities (all of an
    # imported twin list) take a short path: this loop runs once per partnership.
    nodes: dict[str, dict[str, object]] = {}
    edges: list[tuple[str, str, str, dict[str, object]]] = []
    label, attrs = facts.label, facts.attrs
    type_labels: dict[str, str] = {}
    dated = flt.as_of is not None
    for p in sorted(partners):
        members = partners[p]
        if not members or (dated and not flt.in_force(facts, p)):
            continue
        acts = activities.get(p)
        found = attrs.get(p)  # facts.attr(p, ...) inlined: this loop runs once per partnership
        declared = found.get("field", _EMPTY) if found else _EMPTY
        by_status: dict[str, int] = {}
        if acts:
            kept = [a for a in acts if flt.activity_matches(facts, a)]
            for a in kept:
                for s in facts.attr(a, "status") or ("unknown",):
                    name = local_name(s)
                    by_status[name] = by_status.get(name, 0) + 1
            fields = sorted(declared.union(*(facts.attr(a, "field") for a in acts)))
        else:
            kept = []
            fields = sorted(declared) if declared else []
        if flt.field is not None and flt.field not in declared and not kept:
            continue
        if flt.status is not None and not kept:
            continue
        data: dict[str, object] = {
            "partnership": p,
            "label": label(p),
            "fields": fields,
            "field_labels": [label(f) for f in fields] if fields else [],
            "activities": len(kept),
            "activities_by_status": dict(sorted(by_status.items())) if by_status else {},
        }
        kind = ptype.get(p)
        if kind is not None:
            data["partnership_type"] = kind
            kind_label = type_labels.get(kind)
            if kind_label is None:
                kind_label = type_labels[kind] = label(kind)
            data["partnership_type_label"] = kind_label
        if found:
            for name, key in (("startDate", "start"), ("endDate", "end")):
                values = found.get(name)
                if values:
                    data[key] = min(values)
        for n in members:
            if n not in nodes:
                nodes[n] = facts.node_attributes(n)
        if len(members) == 2:
            a, b = members
            edges.append((a, b, p, data) if a < b else (b, a, p, data))
        else:
            ordered = sorted(members)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    edges.append((a, b, p, data))

    graph = nx.MultiGraph()
    graph.add_nodes_from(nodes.items())
    add_edge = graph.add_edge
    for a, b, p, data in edges:
        add_edge(a, b, key=p, **data)
    return graph, {p for _, _, p, _ in edges}


def _cooperation(facts: _Facts, flt: _Filter) -> tuple[nx.MultiDiGraph, None]:
    groups: dict[str, str] = {}
    edges: list[tuple[str, str, str, str, dict[str, object]]] = []
    participants: dict[tuple[str, str], set[str]] = defaultdict(set)
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row, s, v, x in facts.rows:
        if row == "node":
            groups[_value(s)] = GROUPS[_value(v)]
        elif row == "edge" and _is_node(v) and _is_node(s):
            edges.append((_value(s), _value(v), local_name(_value(x)), _value(x), {}))
        elif row == "participant" and _is_node(v):
            roles = participants[(_value(s), _value(v))]
            if x is not None:
                roles.add(_value(x))
        elif row == "source" and _is_node(v):
            locs = sources[(_value(s), _value(v))]
            if isinstance(x, ox.Literal):
                locs.add(x.value)
    for (s, o), roles in participants.items():
        data: dict[str, object] = {"roles": sorted(local_name(r) for r in roles)} if roles else {}
        if roles:
            data["role"] = ", ".join(data["roles"])  # type: ignore[arg-type]
        edges.append((s, o, "participant", SCK + "participant", data))
    for (s, o), locs in sources.items():
        edges.append((s, o, "wasDerivedFrom", PREFIXES["prov"] + "wasDerivedFrom", {"locators": sorted(locs)}))

    def dropped(iri: str) -> bool:
        group = groups.get(iri)
        if group == "activity":
            return not flt.activity_matches(facts, iri)
        if group in ("partnership", "agreement", "programme"):
            return not flt.in_force(facts, iri)
        return False

    keep = {n for n in groups if not dropped(n)}
    edges = [e for e in edges if e[0] in keep and e[1] in keep]
    if flt.active:
        keep, edges = _prune(keep, edges, groups, facts, flt)

    graph = nx.MultiDiGraph()
    core = {"actor", "jurisdiction", "partnership", "agreement", "activity"} if not flt.active else {
        "actor", "partnership", "agreement", "activity"}
    for n in sorted(keep):
        if groups[n] in core:
            graph.add_node(n, **facts.node_attributes(n))
    for s, o, key, predicate, data in sorted(edges, key=lambda e: (e[0], e[2], e[1])):
        for n in (s, o):
            if n not in graph:
                graph.add_node(n, **facts.node_attributes(n))
        field = _edge_field(facts, groups, s, o, key)
        graph.add_edge(s, o, key=key, predicate=predicate, label=key, **data, **({"field": field} if field else {}))
    for n in graph:
        for name in ("status", "activityType"):
            values = sorted(facts.attr(n, name))
            if values:
                graph.nodes[n][name] = local_name(values[0])
        fields = sorted(facts.attr(n, "field"))
        if fields and groups.get(n) == "activity":
            graph.nodes[n]["field"] = fields[0]
    return graph, None


def _edge_field(facts: _Facts, groups: dict[str, str], s: str, o: str, key: str) -> str | None:
    """The field an edge belongs to, for colouring: the field it points to, or its activity's field."""
    if key in ("field", "topic"):
        return o
    for end in (s, o):
        if groups.get(end) == "activity":
            fields = sorted(facts.attr(end, "field"))
            if fields:
                return fields[0]
    return None


def _prune(
    keep: set[str],
    edges: list[tuple[str, str, str, str, dict[str, object]]],
    groups: dict[str, str],
    facts: _Facts,
    flt: _Filter,
) -> tuple[set[str], list[tuple[str, str, str, str, dict[str, object]]]]:
    """After a filter, keep satellites (programmes, places, fields, sources, jurisdictions)
    only when reachable along edges from what is left of the core (actors, partnerships,
    agreements, activities); with a field filter, other fields only as topics of kept activities."""
    core = {n for n in keep if groups[n] in ("actor", "partnership", "agreement", "activity")}
    out: dict[str, list[str]] = defaultdict(list)
    for s, o, key, _, _ in edges:
        if flt.field is not None and groups.get(o) == "field" and o != flt.field and key != "topic":
            continue
        out[s].append(o)
    reached = set(core)
    todo = list(core)
    while todo:
        n = todo.pop()
        for o in out.get(n, ()):
            if o not in reached:
                reached.add(o)
                todo.append(o)
    keep = keep & reached
    edges = [
        e for e in edges
        if e[0] in keep and e[1] in keep
        and not (flt.field is not None and groups.get(e[1]) == "field" and e[1] != flt.field and e[2] != "topic")
    ]
    return keep, edges


def _fields(facts: _Facts, flt: _Filter) -> tuple[nx.Graph, None]:
    involved: dict[str, dict[str, object]] = defaultdict(dict)  # activity -> actor IRI -> term
    for row, s, v, x in facts.rows:
        if row == "involves" and _is_node(s):
            involved[_value(x)][_value(s)] = s
    graph = nx.Graph()
    for activity in sorted(involved):
        if not flt.activity_matches(facts, activity):
            continue
        for f in sorted(facts.attr(activity, "field")):
            for actor, term in sorted(involved[activity].items()):
                a = _add_node(graph, facts, term, bipartite=0)
                if f not in graph:
                    graph.add_node(f, **facts.node_attributes(f), bipartite=1)
                if graph.has_edge(a, f):
                    graph.edges[a, f]["weight"] += 1
                    graph.edges[a, f]["activities"].append(activity)
                else:
                    graph.add_edge(a, f, weight=1, activities=[activity], field=f)
    return graph, None


def _policy_transfer(facts: _Facts, flt: _Filter) -> tuple[nx.DiGraph, None]:
    assisted: dict[str, set[str]] = defaultdict(set)
    pairs: list[tuple[object, object]] = []
    for row, s, v, x in facts.rows:
        if row == "emulates" and _is_node(s) and _is_node(v):
            pairs.append((s, v))
        elif row == "assisted" and _is_node(v):
            assisted[_value(s)].add(_value(v))
    graph = nx.DiGraph()
    for emulator, model in sorted(pairs, key=lambda p: (_value(p[1]), _value(p[0]))):
        e, m = _value(emulator), _value(model)
        if flt.status is not None and flt.status not in facts.attr(e, "status"):
            continue
        if flt.field is not None and flt.field not in (facts.attr(e, "field") | facts.attr(m, "field")):
            continue
        if not (flt.in_force(facts, e)):
            continue
        src = _add_node(graph, facts, model)
        dst = _add_node(graph, facts, emulator)
        data: dict[str, object] = {"predicate": SCK + "emulates", "label": "emulated by"}
        if assisted.get(e):
            data["assisted_by"] = sorted(assisted[e])
            data["assisted_by_labels"] = [facts.label(a) for a in sorted(assisted[e])]
        fields = sorted(facts.attr(e, "field"))
        if fields:
            data["field"] = fields[0]
        statuses = sorted(facts.attr(e, "status"))
        if statuses:
            data["status"] = local_name(statuses[0])
        graph.add_edge(src, dst, **data)
    for n in graph:
        for name in ("status", "field"):
            values = sorted(facts.attr(n, name))
            if values:
                graph.nodes[n][name] = local_name(values[0]) if name == "status" else values[0]
    return graph, None
