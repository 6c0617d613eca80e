"""RDF serialisation formats, named by an enum rather than by strings.

Examples
--------
>>> RdfFormat.from_path("kg.ttl")
<RdfFormat.TURTLE: 'turtle'>
>>> RdfFormat.parse("json-ld")
<RdfFormat.JSON_LD: 'json-ld'>
"""

from __future__ import annotations

import enum
from pathlib import Path

import pyoxigraph as ox

from .errors import UnsupportedFormatError

__all__ = ["RdfFormat"]


class RdfFormat(enum.Enum):
    """The RDF formats the library reads and writes."""

    TURTLE = "turtle"
    TRIG = "trig"
    N_TRIPLES = "n-triples"
    N_QUADS = "n-quads"
    JSON_LD = "json-ld"
    RDF_XML = "rdf-xml"

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File suffixes of the format, the usual one first."""
        return _SUFFIXES[self]

    @property
    def supports_datasets(self) -> bool:
        """Whether the format can hold named graphs."""
        return self in (RdfFormat.TRIG, RdfFormat.N_QUADS, RdfFormat.JSON_LD)

    @property
    def oxigraph(self) -> ox.RdfFormat:
        """The matching :class:`pyoxigraph.RdfFormat`."""
        return _OXIGRAPH[self]

    @property
    def rdflib_name(self) -> str:
        """The name rdflib's parsers and serialisers know the format by."""
        return _RDFLIB[self]

    @classmethod
    def parse(cls, name: str) -> RdfFormat:
        """Read a format name such as ``"ttl"``, ``"turtle"`` or ``"jsonld"``.

        Raises
        ------
        UnsupportedFormatError
            If the name is not a known format.
        """
        key = name.strip().lower().lstrip(".").replace("_", "-")
        for fmt in cls:
            if key == fmt.value or key in fmt.suffixes or key == fmt.value.replace("-", ""):
                return fmt
        known = ", ".join(f.value for f in cls)
        raise UnsupportedFormatError(f"Unknown RDF format {name!r}; expected one of: {known}.")

    @classmethod
    def from_path(cls, path: str | Path) -> RdfFormat:
        """Guess the format from a file's suffix.

        Raises
        ------
        UnsupportedFormatError
            If the suffix is not one the library knows.
        """
        suffix = Path(path).suffix.lower().lstrip(".")
        for fmt in cls:
            if suffix in fmt.suffixes:
                return fmt
        known = ", ".join("." + s for f in cls for s in f.suffixes)
        raise UnsupportedFormatError(
            f"{path}: cannot tell the RDF format from the suffix {Path(path).suffix!r}; "
            f"use one of {known} or pass format=."
        )


_SUFFIXES = {
    RdfFormat.TURTLE: ("ttl", "turtle"),
    RdfFormat.TRIG: ("trig",),
    RdfFormat.N_TRIPLES: ("nt", "ntriples"),
    RdfFormat.N_QUADS: ("nq", "nquads"),
    RdfFormat.JSON_LD: ("jsonld", "json"),
    RdfFormat.RDF_XML: ("rdf", "owl", "xml"),
}
_OXIGRAPH = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.N_QUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.JSON_LD: ox.RdfFormat.JSON_LD,
    RdfFormat.RDF_XML: ox.RdfFormat.RDF_XML,
}
_RDFLIB = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.TRIG: "trig",
    RdfFormat.N_TRIPLES: "nt",
    RdfFormat.N_QUADS: "nquads",
    RdfFormat.JSON_LD: "json-ld",
    RdfFormat.RDF_XML: "xml",
}
