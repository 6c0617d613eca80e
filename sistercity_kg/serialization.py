"""Deterministic export: the same graph always gives the same text, whatever the load order.

Oxigraph iterates its quads in insertion order (two stores holding the same graphs, loaded in a
different order, iterate differently) and blank nodes get fresh labels at every parse, so the
store's own order cannot be written out as is. Sorting ``pyoxigraph`` term objects in Python is
slow (~3 s at 100k triples), so the export works on canonical N-Triples text instead:

1. each named graph is dumped by Oxigraph as N-Triples (one line per triple, in Rust);
2. lines mentioning blank nodes are relabelled by RDFC-1.0 (only those quads matter to it: a
   blank node's canonical label depends only on the quads that mention blank nodes), unless the
   graph has too many look-alike blank nodes (see :func:`sistercity_kg.inputs.cheap_to_canonicalize`);
3. the lines are sorted as bytes (one C-level sort; a subject's triples stay together) and, for
   triple formats, deduplicated across graphs;
4. N-Triples and N-Quads are that text; other formats re-parse it in order and let Oxigraph write
   them, with the entries of ``PREFIXES`` the text uses (found by a text scan) plus a prefix per
   instance kind and concept scheme, ``@prefix`` lines sorted.

Examples
--------
>>> import sistercity_kg as sck
>>> kg = sck.KnowledgeGraph()
>>> kg.load_data('<https://w3id.org/sistercity-kg/id/actor/b> a <https://w3id.org/sistercity-kg/ontology#Actor> .',
...              format="turtle", graph=sck.SCKG.example)
1
>>> print(serialize_store(kg.store, sck.RdfFormat.TURTLE).decode(), end="")
@prefix actor: <https://w3id.org/sistercity-kg/id/actor/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix sck: <https://w3id.org/sistercity-kg/ontology#> .
@prefix sckid: <https://w3id.org/sistercity-kg/id/> .
<BLANKLINE>
actor:b a sck:Actor .
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from .formats import RdfFormat
from .namespaces import PREFIXES, kind_prefixes
from .stores import Store

__all__ = ["serialize_store", "used_prefixes"]

#: The ``<kind>/`` namespaces of instance and concept IRIs in N-Triples text (``<…/id/actor/``).
_KIND_NAMESPACE = re.compile(
    rb"<((?:" + re.escape(PREFIXES["sckid"].encode()) + rb"|" + re.escape(PREFIXES["sckc"].encode()) + rb")[A-Za-z][A-Za-z0-9-]*/)"
)


def serialize_store(store: Store, fmt: RdfFormat) -> bytes:
    """The named graphs of ``store`` in ``fmt``, sorted, blank nodes canonically labelled.

    Triple formats (Turtle, N-Triples, RDF/XML) get the distinct triples of the union of the
    graphs; dataset formats (TriG, N-Quads, JSON-LD) keep the graphs, in the order of their names.
    """
    lines = _canonical_blank_nodes(*_graph_lines(store))
    if fmt.supports_datasets:
        text = b"".join(
            line[:-1] + name + b" .\n"  # "s p o ." -> "s p o <g> ."
            for name in sorted(lines)
            for line in sorted(set(lines[name]))
        )
        plain = RdfFormat.N_QUADS
    else:
        union: set[bytes] = set()
        for graph_lines in lines.values():
            union.update(graph_lines)
        text = b"\n".join(sorted(union)) + b"\n" if union else b""
        plain = RdfFormat.N_TRIPLES
    if fmt is plain:
        return text
    # The text is Oxigraph's own N-Triples/N-Quads: already checked, so parsed leniently (2x faster).
    statements = ox.parse(text, format=plain.oxigraph, lenient=True)
    out = ox.serialize(statements, format=fmt.oxigraph, prefixes=used_prefixes(text))
    if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG):
        out = _sort_prefix_lines(out)
    return out


def used_prefixes(text: bytes) -> dict[str, str]:
    """The entries of ``PREFIXES`` whose namespace starts an IRI of the N-Triples/N-Quads ``text``,
    plus a prefix per instance kind and concept scheme found (see :func:`~sistercity_kg.namespaces.kind_prefixes`).

    >>> used_prefixes(b'<https://w3id.org/sistercity-kg/concept/field/culture> <urn:p> "x" .\\n')
    {'sckc': 'https://w3id.org/sistercity-kg/concept/', 'field': 'https://w3id.org/sistercity-kg/concept/field/'}
    """
    used = {prefix: ns for prefix, ns in PREFIXES.items() if b"<" + ns.encode() in text}
    kinds = {match.decode() for match in set(_KIND_NAMESPACE.findall(text))}
    return {**used, **kind_prefixes(kinds)}


def _graph_lines(store: Store) -> tuple[dict[bytes, list[bytes]], set[bytes]]:
    """Each named graph's triples as N-Triples lines (no newline), keyed by the graph's ``<IRI>``,
    and the graphs whose text may mention a blank node."""
    oxigraph = getattr(store, "oxigraph", None)
    lines: dict[bytes, list[bytes]] = {}
    maybe_blank: set[bytes] = set()
    for graph in store.named_graphs():
        if oxigraph is not None:  # embedded: Oxigraph writes the whole graph itself
            dump = oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        else:
            dump = ox.serialize(
                (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph)),
                format=ox.RdfFormat.N_TRIPLES,
            )
        if dump:
            name = str(graph).encode()
            lines.setdefault(name, []).extend(dump.splitlines())
            if b"_:" in dump:
                maybe_blank.add(name)
    return lines, maybe_blank


def _canonical_blank_nodes(lines: dict[bytes, list[bytes]], maybe_blank: set[bytes]) -> dict[bytes, list[bytes]]:
    """The lines with blank nodes relabelled by RDFC-1.0 so the same graph gives the same text.

    Blank-node labels otherwise change with every parse. Only the quads that mention a blank node
    are canonicalised: RDFC-1.0 never looks at the others, so the labels are those of the whole
    dataset. Graphs with many look-alike blank nodes keep their labels (RDFC-1.0 would take hours).
    """
    marked: dict[bytes, list[bytes]] = {}
    for name in maybe_blank:
        # a literal containing " _:" is marked too: it goes through RDFC-1.0 unchanged
        found = [line for line in lines[name] if line.startswith(b"_:") or b" _:" in line]
        if found:
            marked[name] = found
    if not marked:
        return lines
    from .inputs import cheap_to_canonicalize

    nquads = b"".join(line[:-1] + name + b" .\n" for name, found in marked.items() for line in found)
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    if not cheap_to_canonicalize(quads):
        return lines
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    result = dict(lines)
    for name, found in marked.items():
        drop = set(found)
        result[name] = [line for line in lines[name] if line not in drop]
    for line in ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).splitlines():
        triple, name, _dot = line.rsplit(b" ", 2)  # a graph IRI has no space
        result[name].append(triple + b" .")
    return result


def _sort_prefix_lines(text: bytes) -> bytes:
    """Put the ``@prefix`` lines pyoxigraph writes (in hash order) in alphabetical order."""
    lines = text.split(b"\n")
    head = [line for line in lines if line.startswith(b"@prefix ")]
    body = lines[len(head):]
    return b"\n".join(sorted(head) + ([b""] if head else []) + body)
