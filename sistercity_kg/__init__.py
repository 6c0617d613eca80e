"""sistercity-kg: a knowledge graph of paradiplomacy.

The international cooperation of cities, provinces and other sub-state actors, as an OWL
ontology, SKOS schemes and SHACL shapes, with the Bandung–Seoul Sister City cooperation as
the first dataset, every claim traceable to its source.

>>> import sistercity_kg as sck
>>> kg = sck.load()
>>> kg.validate().conforms
True
"""

from __future__ import annotations

from ._version import __version__
from .errors import (
    AuthenticationError,
    ExportError,
    LoadError,
    MissingDependencyError,
    MissingFileError,
    ParameterError,
    QueryError,
    RdfSyntaxError,
    ShapesError,
    ImportRowsError,
    RowError,
    SisterCityKGError,
    StoreError,
    UnknownQueryError,
    UnsupportedFormatError,
)
from .formats import RdfFormat
from .graph import KnowledgeGraph, load
from .stores.factory import connect, open  # noqa: A004 - sck.open is the documented name
from .namespaces import PREFIXES, SCK, SCKC, SCKG, SCKID, SCKSH, mint
from .queries import Parameter, Query, get_query, queries
from .results import QueryResult
from .rules import InferenceReport
from .validation import Severity, ValidationReport, ValidationResult
from .shacl import validate

#: Mint an instance IRI, e.g. ``sck.id("actor", "bandung-city-government")``.
id = mint  # noqa: A001 - the name DESIGN.md gives to the public helper

__all__ = [
    "__version__",
    "KnowledgeGraph",
    "load",
    "open",
    "connect",
    "id",
    "mint",
    "RdfFormat",
    "QueryResult",
    "Query",
    "Parameter",
    "queries",
    "get_query",
    "InferenceReport",
    "validate",
    "ValidationReport",
    "ValidationResult",
    "Severity",
    "PREFIXES",
    "SCK",
    "SCKC",
    "SCKG",
    "SCKID",
    "SCKSH",
    "SisterCityKGError",
    "LoadError",
    "MissingDependencyError",
    "MissingFileError",
    "RdfSyntaxError",
    "UnsupportedFormatError",
    "QueryError",
    "UnknownQueryError",
    "ParameterError",
    "ExportError",
    "ShapesError",
    "ImportRowsError",
    "RowError",
    "StoreError",
    "AuthenticationError",
]
