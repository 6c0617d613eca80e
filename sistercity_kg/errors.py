"""The library's exceptions: one hierarchy rooted in :class:`SisterCityKGError`.

Every message is a plain sentence that names what is wrong (the file, line and
column, the query, the parameter or the term) and what was expected.

Examples
--------
>>> err = RdfSyntaxError("Unexpected end of file", path="broken.ttl", line=3, column=11)
>>> str(err)
'broken.ttl, line 3, column 11: Unexpected end of file.'
>>> isinstance(err, SisterCityKGError)
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "SisterCityKGError",
    "LoadError",
    "MissingFileError",
    "RdfSyntaxError",
    "UnsupportedFormatError",
    "QueryError",
    "StoreError",
    "AuthenticationError",
    "UnknownQueryError",
    "ParameterError",
    "ExportError",
    "ShapesError",
    "MissingDependencyError",
    "RowError",
    "ImportRowsError",
]


class SisterCityKGError(Exception):
    """Base class of every error raised by sistercity-kg."""


class LoadError(SisterCityKGError):
    """A file or text could not be loaded; the graph is left unchanged."""


class MissingFileError(LoadError, FileNotFoundError):
    """The file to load does not exist or is not a regular file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path}: no such file; give the path of an existing RDF file.")

    def __str__(self) -> str:  # FileNotFoundError would otherwise format errno/filename
        return str(self.args[0])


class RdfSyntaxError(LoadError):
    """The content is not valid in its RDF syntax.

    Attributes
    ----------
    path : pathlib.Path or None
        The file, when the content came from a file.
    line, column : int or None
        1-based position of the error, when the parser reports it.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason.rstrip(".")
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(self._format())

    def _format(self) -> str:
        where = [str(self.path) if self.path is not None else "<input>"]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}."


class UnsupportedFormatError(SisterCityKGError, ValueError):
    """A file suffix or format name that the library cannot read or write."""


class QueryError(SisterCityKGError):
    """A SPARQL query is malformed or failed to run."""


class UnknownQueryError(QueryError, KeyError):
    """No named query has the given id."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class ParameterError(QueryError, ValueError):
    """A query parameter is unknown, missing, or of the wrong type."""


class ExportError(SisterCityKGError):
    """The graph could not be written; any existing target file is untouched."""


class StoreError(SisterCityKGError):
    """A store could not be opened or reached, or refused an operation.

    Messages name the folder or the endpoint, never credentials.
    """


class AuthenticationError(StoreError):
    """A SPARQL server refused the credentials (or none were given where it needs them)."""


class ShapesError(SisterCityKGError):
    """The SHACL shapes could not be read or applied."""


class MissingDependencyError(SisterCityKGError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


class RowError:
    """One problem in one row of an imported file: where it is and what was expected.

    >>> str(RowError("agreements.csv", 3, "signing_date", "32/13/2015", "a date such as 24/05/2015"))
    "agreements.csv, row 3, column 'signing_date': got '32/13/2015'; expected a date such as 24/05/2015."
    """

    __slots__ = ("path", "row", "column", "value", "expected")

    def __init__(self, path: str | Path, row: int, column: str | None, value: str | None, expected: str) -> None:
        self.path = Path(path)
        self.row = row  # numbered as a spreadsheet shows it: the header is row 1
        self.column = column
        self.value = value
        self.expected = expected

    def __str__(self) -> str:
        where = f"{self.path.name}, row {self.row}" + (f", column {self.column!r}" if self.column else "")
        got = f"got {self.value!r}; " if self.value is not None else ""
        return f"{where}: {got}expected {self.expected.rstrip('.')}."

    def __repr__(self) -> str:
        return f"RowError({str(self)!r})"


class ImportRowsError(LoadError):
    """Rows of an imported file are wrong; ``errors`` lists every one. Nothing was added."""

    def __init__(self, path: str | Path, errors: list[RowError]) -> None:
        self.path = Path(path)
        self.errors = list(errors)
        lines = "\n".join(f"  {err}" for err in self.errors)
        super().__init__(f"{self.path}: {len(self.errors)} row error(s), nothing was imported:\n{lines}")
