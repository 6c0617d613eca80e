"""Namespaces and the one ``PREFIXES`` mapping used by Turtle, SPARQL and exports.

Examples
--------
>>> from sistercity_kg.namespaces import SCK, mint
>>> str(SCK.Partnership)
'https://w3id.org/sistercity-kg/ontology#Partnership'
>>> str(mint("actor", "Bandung City Government"))
'https://w3id.org/sistercity-kg/id/actor/bandung-city-government'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from types import MappingProxyType
from typing import Iterable, Mapping

from rdflib import Namespace, URIRef

__all__ = [
    "PREFIXES",
    "SCK",
    "SCKC",
    "SCKSH",
    "SCKID",
    "SCKG",
    "slugify",
    "mint",
    "mint_iri",
    "sparql_prefixes",
    "prefix_declarations",
    "kind_prefixes",
]

BASE = "https://w3id.org/sistercity-kg/"

#: The single source of prefixes for Turtle, SPARQL and every export.
PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "sck": BASE + "ontology#",
        "sckc": BASE + "concept/",
        "scksh": BASE + "shapes#",
        "sckid": BASE + "id/",
        "sckg": BASE + "graph/",
        "org": "http://www.w3.org/ns/org#",
        "schema": "https://schema.org/",
        "prov": "http://www.w3.org/ns/prov#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "time": "http://www.w3.org/2006/time#",
        "dcterms": "http://purl.org/dc/terms/",
        "eli": "http://data.europa.eu/eli/ontology#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
        "geosparql": "http://www.opengis.net/ont/geosparql#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "sh": "http://www.w3.org/ns/shacl#",
        "vann": "http://purl.org/vocab/vann/",
        "wd": "http://www.wikidata.org/entity/",
    }
)

SCK = Namespace(PREFIXES["sck"])
SCKC = Namespace(PREFIXES["sckc"])
SCKSH = Namespace(PREFIXES["scksh"])
SCKID = Namespace(PREFIXES["sckid"])
SCKG = Namespace(PREFIXES["sckg"])


#: What slugify turns into a hyphen: runs of non-word characters, and underscores.
_SLUG_SEPARATORS = re.compile(r"[^\w]+|_+")


def slugify(name: str) -> str:
    """Turn a name into the slug used in instance IRIs.

    Letters of any script are kept (lower-cased, NFKC-normalised); everything else
    becomes a single hyphen, so the same name always gives the same slug.

    Raises
    ------
    ValueError
        If the name has no letter or digit to build a slug from.

    Examples
    --------
    >>> slugify("Kecamatan  Regol")
    'kecamatan-regol'
    >>> slugify("서울특별시")
    '서울특별시'
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    slug = _SLUG_SEPARATORS.sub("-", text).strip("-")
    if not slug:
        raise ValueError(f"Cannot build an identifier from {name!r}: it has no letter or digit.")
    return slug


def mint(kind: str, name: str) -> URIRef:
    """Mint the deterministic instance IRI ``sckid:<kind>/<slug>``.

    Raises
    ------
    ValueError
        If ``kind`` or ``name`` has no letter or digit.
    """
    return URIRef(mint_iri(kind, name))


def mint_iri(kind: str, name: str) -> str:
    """:func:`mint` as a plain string (no rdflib term to build: importers mint thousands).

    >>> mint_iri("jurisdiction", "Fort Worth United States")
    'https://w3id.org/sistercity-kg/id/jurisdiction/fort-worth-united-states'
    """
    return f"{PREFIXES['sckid']}{slugify(kind)}/{slugify(name)}"


def sparql_prefixes() -> str:
    """Return the ``PREFIXES`` mapping as SPARQL ``PREFIX`` lines."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@lru_cache(maxsize=512)  # texts with bound values vary; named queries come back to the same text
def prefix_declarations(text: str) -> str:
    """``PREFIX`` declarations, on one line, of the prefixes of ``PREFIXES`` that the SPARQL
    ``text`` mentions and does not declare in its own prologue: what to put before it so that
    ``sck:``, ``rdfs:`` … work undeclared (on one line, so line numbers in errors stay the text's).

    A prefixed name ``p:x`` contains ``p:`` as written, so testing for that substring never misses
    one (it may include a prefix that only appears in a string or IRI: harmless). Oxigraph parses
    every declaration it is given, ~1 µs each, which is a quarter of a sub-millisecond query.

    >>> prefix_declarations("SELECT * { ?s a skos:Concept }")
    'PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
    >>> prefix_declarations("# a comment\\nPREFIX skos: <urn:x#>\\nSELECT * { ?s a skos:Concept ; rdfs:label ?l }")
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
    """
    own = _own_prefixes(text)
    return "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items() if p not in own and p + ":" in text)


#: One item of a SPARQL prologue (or the blanks and comments around it); group 1: a declared prefix.
_PROLOGUE_ITEM = re.compile(r"\s+|#[^\n]*|(?i:PREFIX)\s*([^\s:]*)\s*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>")


def _own_prefixes(text: str) -> set[str]:
    """The prefixes declared in the prologue of ``text`` (the only place SPARQL allows them)."""
    own: set[str] = set()
    position = 0
    while (item := _PROLOGUE_ITEM.match(text, position)) is not None and item.end() > position:
        if item.group(1) is not None:
            own.add(item.group(1))
        position = item.end()
    return own


def kind_prefixes(iris: Iterable[str]) -> dict[str, str]:
    """Prefixes derived from ``PREFIXES`` for each kind of instance and each concept scheme.

    Instance and concept IRIs have a ``<kind>/<slug>`` local part, which Turtle can only write
    after ``sckid:`` with an escaped slash; a prefix per kind (``actor:``, ``field:`` …) reads
    better. Derived, not listed, so new kinds need no change here.

    >>> kind_prefixes(["https://w3id.org/sistercity-kg/id/actor/bandung-city-government"])
    {'actor': 'https://w3id.org/sistercity-kg/id/actor/'}
    """
    found: dict[str, str] = {}
    for iri in iris:
        for base in (PREFIXES["sckid"], PREFIXES["sckc"]):
            if iri.startswith(base):
                kind, sep, _ = iri[len(base):].partition("/")
                if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", kind) and kind not in PREFIXES:
                    found.setdefault(kind, f"{base}{kind}/")
    return found
