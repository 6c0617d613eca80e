"""What a check needs in the data to report anything, probed once per validation.

Most checks can only have a result if the data holds some triple: a shape targeting ``sck:Agreement``
reports nothing when there is no agreement, and ``sh:maxCount 1`` on ``sck:stage`` nothing when no
node has a stage. A :class:`Requirement` lists such triples (any one suffices); a check runs only if
every requirement it has is met. :func:`met` tests all of them with one query of index lookups, so a
validation of the twin list (no agreements, activities, programmes…) runs 54 of the 241 compiled
queries instead of evaluating the others over empty targets or absent predicates.

The requirements are exact, never a guess: a requirement is recorded only where every solution of
the check's query contains a matching triple (the target's class or predicate, the value path's
predicate), so skipping a check whose requirement fails skips no result. (One difference: a
skipped query is not run, so a shape whose SPARQL Oxigraph would reject is not handed to pySHACL
when it has no focus nodes; pySHACL would have reported nothing for it either.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import pyoxigraph as ox
from rdflib.namespace import RDF

from .classes import ClassIndex
from .paths import iri

__all__ = ["Requirement", "met", "runnable"]

_TYPE = iri(RDF.type)


@dataclass(frozen=True)
class Requirement:
    """Met when the data has a triple with one of ``predicates`` or an instance of one of ``classes``.

    ``classes`` are numbers in the plan's :class:`~.classes.ClassIndex`; an instance is a node typed
    with the class or one of its subclasses (the closure read at validation time).
    """

    predicates: tuple[str, ...] = ()
    classes: tuple[int, ...] = ()


def met(
    store: ox.Store,
    requirements: Iterable[Requirement],
    closure: dict[int, list[str] | None],
    index: ClassIndex,
    *,
    union: bool,
) -> set[Requirement]:
    """The requirements the data in ``store`` meets (one query for all of them)."""
    requirements = set(requirements)
    probes: dict[tuple[str, str | None], int] = {}
    for requirement in requirements:
        for predicate in requirement.predicates:
            probes.setdefault((predicate, None), len(probes))
        for number in requirement.classes:
            for member in closure[number] or ():
                probes.setdefault((_TYPE, member), len(probes))
    present: set[tuple[str, str | None]] = set()
    if probes:
        rows = " ".join(f"({n} {p} {'UNDEF' if o is None else o})" for (p, o), n in probes.items())
        query = f"SELECT ?n WHERE {{ VALUES (?n ?p ?o) {{ {rows} }} FILTER EXISTS {{ ?s ?p ?o }} }}"
        by_number = {n: probe for probe, n in probes.items()}
        present = {by_number[int(s["n"].value)] for s in store.query(query, use_default_graph_as_union=union)}
    out = set()
    for requirement in requirements:
        if any((p, None) in present for p in requirement.predicates) or any(
            closure[n] is None  # a blank-node subclass: not probed, assumed present
            or any((_TYPE, member) in present for member in closure[n])
            for n in requirement.classes
        ):
            out.add(requirement)
    return out


def runnable(requires: Sequence[Requirement], satisfied: set[Requirement]) -> bool:
    """Whether a check with these requirements can have results."""
    return all(r in satisfied for r in requires)
