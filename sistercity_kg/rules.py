"""Derived knowledge: SPARQL CONSTRUCT rules materialised into graphs of their own.

The rules are ``queries/rules/<rule-id>.rq`` (reciprocity, symmetry, inverses, partner-of,
partner-reach). :func:`infer` runs them over the union of the graphs until none derives anything
new (a fixpoint) and writes what each derives into the named graph ``sckg:inferred/<rule-id>``.

Design
------
* **One graph per rule.** Every derived triple is traceable to the rule that produced it by the
  graph it sits in, with no reification and no extra triples per derived fact. Dropping a graph
  drops exactly one rule's output.
* **A catalogue graph.** ``sckg:inferred`` holds only the description of the rule graphs::

      sckg:inferred/reciprocity a prov:Entity ;
          prov:wasGeneratedBy sckid:rule/reciprocity .
      sckid:rule/reciprocity a prov:Activity ;
          rdfs:label "rule reciprocity"@en , "aturan reciprocity"@id ;
          dcterms:identifier "reciprocity" ; dcterms:description "..."@en , "..."@id .

  ``sckid:rule/<id>`` stands for the application of the rule (a ``prov:Activity``, the range of
  ``prov:wasGeneratedBy``). No timestamps are written, so the output is the same every time.
* **Asserted facts are never copied.** A triple that already exists in any graph (asserted, or
  derived by an earlier rule) is not written again, so the derived graphs hold only what is new,
  and a second run adds nothing (idempotent).
* **Drop and rebuild.** :func:`clear_inferred` removes the catalogue and every rule graph;
  ``infer(rebuild=True)`` does that first.

Triples about blank nodes are not derived. Rules must not create blank nodes in their templates (a fresh blank node per run would never
reach a fixpoint); :func:`infer` stops with a :class:`~sistercity_kg.errors.QueryError` after
:data:`MAX_ROUNDS` rounds.

Examples
--------
>>> import sistercity_kg as sck
>>> kg = sck.load(layers=["bandung-seoul"])
>>> report = kg.infer()
>>> report.added["reciprocity"]
2
>>> kg.infer().total
0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from .errors import ParameterError, QueryError
from .namespaces import SCKG, SCKID, prefix_declarations
from .resources import bundled_path
from .terms import to_oxigraph

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from .graph import KnowledgeGraph

__all__ = [
    "Rule",
    "InferenceReport",
    "rules",
    "infer",
    "clear_inferred",
    "INFERRED",
    "rule_graph",
    "MAX_ROUNDS",
]

#: The catalogue graph describing the derived graphs.
INFERRED = URIRef(str(SCKG) + "inferred")

#: Rounds after which :func:`infer` gives up (a rule that never stops deriving).
MAX_ROUNDS = 100

_HEADER = re.compile(r"^#\s*(id|description \((?P<lang>[a-z]{2,3})\)):\s*(?P<value>.*?)\s*$")
# Candidate triples are checked for existence in batches of this size.
_BATCH = 500


@dataclass(frozen=True)
class Rule:
    """A CONSTRUCT rule read from ``queries/rules/<id>.rq``."""

    id: str
    description: Mapping[str, str]
    path: Path
    text: str = field(repr=False)

    @property
    def graph(self) -> URIRef:
        """The named graph its derived triples go into: ``sckg:inferred/<id>``."""
        return rule_graph(self.id)

    @property
    def iri(self) -> URIRef:
        """The IRI of the rule's application: ``sckid:rule/<id>``."""
        return URIRef(f"{SCKID}rule/{self.id}")

    @classmethod
    def from_file(cls, path: Path) -> "Rule":
        """Read a rule and its header (``# id:``, ``# description (en):`` ...).

        Raises
        ------
        QueryError
            If the file is not a CONSTRUCT query.
        """
        text = path.read_text(encoding="utf-8")
        rid, description = path.stem, {}
        for line in text.splitlines():
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            match = _HEADER.match(line)
            if match and match.group("lang"):
                description[match.group("lang")] = match.group("value")
            elif match:
                rid = match.group("value")
        if not re.search(r"^\s*CONSTRUCT\b", text, flags=re.IGNORECASE | re.MULTILINE):
            raise QueryError(f"{path}: a rule must be a SPARQL CONSTRUCT query.")
        return cls(id=rid, description=description, path=path, text=text)


@dataclass(frozen=True)
class InferenceReport:
    """What :func:`infer` did.

    Attributes
    ----------
    added : dict
        Rule id -> number of new triples it derived in this run (0 when nothing was new).
    rounds : int
        Passes over all rules, the last one deriving nothing.
    graphs : tuple of URIRef
        The derived graphs that now exist.
    """

    added: Mapping[str, int]
    rounds: int
    graphs: tuple[URIRef, ...]

    @property
    def total(self) -> int:
        """New triples over all rules."""
        return sum(self.added.values())

    def text(self) -> str:
        """A short human-readable account, one line per rule."""
        lines = [f"{rid}: {n} new triple{'s' if n != 1 else ''}" for rid, n in self.added.items()]
        lines.append(f"total: {self.total} in {self.rounds} round{'s' if self.rounds != 1 else ''}")
        return "\n".join(lines)


def rule_graph(rule_id: str) -> URIRef:
    """The graph of one rule's derived triples.

    >>> str(rule_graph("reciprocity"))
    'https://w3id.org/sistercity-kg/graph/inferred/reciprocity'
    """
    return URIRef(f"{INFERRED}/{rule_id}")


@lru_cache(maxsize=1)
def _bundled_rules() -> tuple[Rule, ...]:
    folder = bundled_path("queries/rules")
    return tuple(Rule.from_file(p) for p in sorted(folder.glob("*.rq")))


def rules() -> list[Rule]:
    """The bundled rules, by id.

    >>> [r.id for r in rules()]
    ['inverses', 'partner-of', 'partner-reach', 'reciprocity', 'symmetry']
    """
    return list(_bundled_rules())


def _is_inferred(name: URIRef) -> bool:
    return name == INFERRED or str(name).startswith(f"{INFERRED}/")


def clear_inferred(kg: "KnowledgeGraph") -> int:
    """Drop the catalogue graph and every derived graph; returns how many graphs were dropped."""
    names = [g for g in kg.graph_names() if _is_inferred(g)]
    for name in names:
        kg.clear_graph(name)
    return len(names)


def infer(
    kg: "KnowledgeGraph", *, rebuild: bool = False, exclude: Iterable[str] = ()
) -> InferenceReport:
    """Run the bundled rules to a fixpoint, writing new triples into ``sckg:inferred/<rule-id>``.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to infer over and into.
    rebuild : bool
        Drop the derived graphs first (see :func:`clear_inferred`), so the result reflects the
        asserted data alone, e.g. after data was removed.
    exclude : iterable of str
        Ids of rules not to run. ``partner-reach`` is the one to leave out on large networks: it
        writes one ``sck:reaches`` triple per ordered pair of actors joined by any chain of
        partnerships, so n actors in one connected network give n × (n − 1) triples (502
        actors: ~224,000; 5,000: ~25 million). What other rules would derive from an excluded
        rule's output is left out too.

    Returns
    -------
    InferenceReport
        New triples per rule; all zero when the graph was already complete.

    Raises
    ------
    QueryError
        If a rule fails, or the rules still derive new triples after :data:`MAX_ROUNDS` rounds.
    ParameterError
        If ``exclude`` names a rule that does not exist (nothing is run).

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> kg = sck.load(layers=["bandung-seoul"])
    >>> sorted(kg.infer(exclude=["partner-reach"]).added)
    ['inverses', 'partner-of', 'reciprocity', 'symmetry']
    """
    excluded = {exclude} if isinstance(exclude, str) else set(exclude)
    known = {rule.id for rule in rules()}
    unknown = sorted(excluded - known)
    if unknown:
        raise ParameterError(
            f"No rule named {', '.join(map(repr, unknown))}; the rules are {', '.join(sorted(known))}."
        )
    if rebuild:
        clear_inferred(kg)
    active = [rule for rule in rules() if rule.id not in excluded]
    added = {rule.id: 0 for rule in active}
    # An embedded store runs the rules on Oxigraph's own terms: no rdflib round trip per triple.
    oxigraph = getattr(kg.store, "oxigraph", None)
    derived_so_far: set[object] = set()  # triples written by a rule in this run
    if oxigraph is not None:
        from .inputs import check_query

        for rule in active:
            check_query(rule.text)
    rounds = 0
    while True:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise QueryError(
                f"The rules still derive new triples after {MAX_ROUNDS} rounds; a rule that builds "
                "blank nodes never reaches a fixpoint."
            )
        new_in_round = 0
        for rule in active:
            if oxigraph is not None:
                count = _apply_in_oxigraph(oxigraph, rule, derived_so_far)
            else:
                derived = kg.sparql(rule.text).graph
                if derived is None:
                    raise QueryError(f"{rule.path}: the rule did not return a graph.")
                fresh = _not_yet_stated(kg, list(derived))
                if fresh:
                    kg.add(fresh, graph=rule.graph)
                count = len(fresh)
            added[rule.id] += count
            new_in_round += count
        if new_in_round == 0:
            break
    by_id = {rule.id: rule for rule in active}
    graphs = tuple(g for g in kg.graph_names() if _is_inferred(g) and g != INFERRED)
    catalogue = [t for g in graphs if str(g).rsplit("/", 1)[1] in by_id for t in _describe(by_id[str(g).rsplit("/", 1)[1]])]
    kg.add(_not_yet_stated(kg, catalogue), graph=INFERRED)
    return InferenceReport(added=added, rounds=rounds, graphs=graphs)


def _describe(rule: Rule) -> list[tuple[Node, Node, Node]]:
    triples: list[tuple[Node, Node, Node]] = [
        (rule.graph, RDF.type, PROV.Entity),
        (rule.graph, PROV.wasGeneratedBy, rule.iri),
        (rule.iri, RDF.type, PROV.Activity),
        (rule.iri, RDFS.label, Literal(f"rule {rule.id}", lang="en")),
        (rule.iri, RDFS.label, Literal(f"aturan {rule.id}", lang="id")),
        (rule.iri, DCTERMS.identifier, Literal(rule.id)),
    ]
    triples += [(rule.iri, DCTERMS.description, Literal(text, lang=lang)) for lang, text in rule.description.items()]
    return triples


def _apply_in_oxigraph(store: "ox.Store", rule: Rule, derived_so_far: set[object]) -> int:
    """Run one rule on a pyoxigraph store and add, in one transaction, the triples no graph holds yet.

    ``derived_so_far`` (the triples the rules already wrote in this run) answers most novelty
    checks without asking the store: a recursive rule re-derives all it derived before each round.
    """
    import pyoxigraph as ox

    try:
        answer = store.query(prefix_declarations(rule.text) + rule.text, use_default_graph_as_union=True)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"{rule.path}: the rule failed: {exc}.") from None
    if not isinstance(answer, ox.QueryTriples):
        raise QueryError(f"{rule.path}: the rule did not return a graph.")
    candidates = {
        t
        for t in answer
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }
    candidates.difference_update(derived_so_far)
    fresh = [
        t
        for t in candidates
        if next(store.quads_for_pattern(t.subject, t.predicate, t.object), None) is None
    ]
    if not fresh:
        return 0
    fresh.sort(key=str)  # a stable insertion order, as the stored order shows in unordered answers
    name = ox.NamedNode(str(rule.graph))
    store.extend([ox.Quad(t.subject, t.predicate, t.object, name) for t in fresh])
    derived_so_far.update(fresh)
    return len(fresh)


def _not_yet_stated(kg: "KnowledgeGraph", candidates: list[tuple[Node, Node, Node]]) -> list[tuple[Node, Node, Node]]:
    """The candidate triples that no graph of ``kg`` holds yet, in a stable order."""
    # Triples about blank nodes are left out: a blank node cannot be named in a query to check
    # whether the triple exists, and the bundled data has none.
    unique = sorted(
        {t for t in candidates if not any(isinstance(x, BNode) for x in t)},
        key=lambda t: tuple(_nt(x) for x in t),
    )
    existing: set[tuple[str, str, str]] = set()
    for start in range(0, len(unique), _BATCH):
        batch = unique[start : start + _BATCH]
        rows = " ".join(f"({_nt(s)} {_nt(p)} {_nt(o)})" for s, p, o in batch)
        # The terms come from the store itself and are written in canonical N-Triples form.
        answer = kg.sparql(f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} ?s ?p ?o }}")
        existing.update((_nt(r["s"]), _nt(r["p"]), _nt(r["o"])) for r in answer.rows)
    return [t for t in unique if tuple(_nt(x) for x in t) not in existing]


def _nt(term: Node) -> str:
    return str(to_oxigraph(term))
