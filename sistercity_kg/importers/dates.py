"""Dates as cooperation offices write them: ISO 8601 and common Indonesian forms.

Every parse says which form it read, so a user can check that "05/06/2015" was taken as
5 June (day first, the Indonesian order) and not as 6 May.

Accepted forms (month names in Indonesian or English, full or abbreviated, any case):

=====================  =================  ==================
form                   example            RDF datatype
=====================  =================  ==================
``iso-date``           ``2015-05-24``     ``xsd:date``
``iso-year-month``     ``2015-05``        ``xsd:gYearMonth``
``day-month-name-year``  ``24 Mei 2015``  ``xsd:date``
``day/month/year``     ``24/05/2015``     ``xsd:date``
``month-name-year``    ``Mei 2015``       ``xsd:gYearMonth``
``year``               ``2015``           ``xsd:gYear``
=====================  =================  ==================

Examples
--------
>>> d = parse_date("24 Mei 2015")
>>> d.lexical, d.datatype_name, d.form
('2015-05-24', 'date', 'day-month-name-year')
>>> parse_date("24/05/2015").lexical
'2015-05-24'
>>> parse_date("Mei 2015").literal
rdflib.term.Literal('2015-05', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
>>> parse_date("2015").form
'year'
>>> parse_date("31/02/2015")
Traceback (most recent call last):
...
ValueError: '31/02/2015' is not a date: day is out of range for month.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from rdflib import Literal, URIRef

__all__ = ["ParsedDate", "parse_date", "parse_duration", "DATE_FORMS", "EXPECTED_DATE"]

_XSD = "http://www.w3.org/2001/XMLSchema#"

#: The names of the forms :func:`parse_date` reads, in the order it tries them.
DATE_FORMS = (
    "iso-date",
    "iso-year-month",
    "day-month-name-year",
    "day/month/year",
    "month-name-year",
    "year",
)

#: What an error message says was expected.
EXPECTED_DATE = (
    "a date such as 2015-05-24, 24 Mei 2015, 24/05/2015 (day first), 2015-05, Mei 2015 or 2015"
)

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januari", "january", "jan"),
        ("februari", "pebruari", "february", "feb", "peb"),
        ("maret", "march", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NAME_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{4})")
_YEAR = re.compile(r"(\d{4})")


@dataclass(frozen=True)
class ParsedDate:
    """A date read from text.

    Attributes
    ----------
    text : str
        The text as given.
    lexical : str
        The ISO lexical form (``2015-05-24``, ``2015-05`` or ``2015``).
    datatype_name : str
        ``"date"``, ``"gYearMonth"`` or ``"gYear"`` (an XML Schema datatype).
    form : str
        Which of :data:`DATE_FORMS` was read.
    """

    text: str
    lexical: str
    datatype_name: str
    form: str

    @property
    def datatype(self) -> URIRef:
        """The XML Schema datatype IRI."""
        return URIRef(_XSD + self.datatype_name)

    @property
    def literal(self) -> Literal:
        """The typed RDF literal."""
        return Literal(self.lexical, datatype=self.datatype)


def _check(text: str, year: int, month: int, day: int | None) -> None:
    try:
        _dt.date(year, month, day or 1)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date: {exc}.") from None


def _month(text: str, name: str) -> int:
    number = _MONTHS.get(name.casefold())
    if number is None:
        raise ValueError(
            f"{text!r} is not a date: {name!r} is not a month name (expected e.g. Mei, Agustus, May)."
        )
    return number


def parse_date(text: str) -> ParsedDate:
    """Read a date in one of :data:`DATE_FORMS`.

    Parameters
    ----------
    text : str
        The date as written, e.g. ``"24 Mei 2015"``.

    Returns
    -------
    ParsedDate
        The value, its datatype and the form that was read.

    Raises
    ------
    ValueError
        If the text is in none of the forms, or names a day that does not exist.
    """
    value = " ".join(text.split())
    if m := _ISO_DATE.fullmatch(value):
        y, mo, d = (int(g) for g in m.groups())
        _check(text, y, mo, d)
        return ParsedDate(text, f"{y:04d}-{mo:02d}-{d:02d}", "date", "iso-date")
    if m := _ISO_YEAR_MONTH.fullmatch(value):
        y, mo = (int(g) for g in m.groups())
        _check(text, y, mo, None)
        return ParsedDate(text, f"{y:04d}-{mo:02d}", "gYearMonth", "iso-year-month")
    if m := _DAY_NAME_YEAR.fullmatch(value):
        d, y = int(m.group(1)), int(m.group(3))
        mo = _month(text, m.group(2))
        _check(text, y, mo, d)
        return ParsedDate(text, f"{y:04d}-{mo:02d}-{d:02d}", "date", "day-month-name-year")
    if m := _DAY_MONTH_YEAR.fullmatch(value):
        d, mo, y = (int(g) for g in m.groups())
        _check(text, y, mo, d)
        return ParsedDate(text, f"{y:04d}-{mo:02d}-{d:02d}", "date", "day/month/year")
    if m := _NAME_YEAR.fullmatch(value):
        y = int(m.group(2))
        mo = _month(text, m.group(1))
        return ParsedDate(text, f"{y:04d}-{mo:02d}", "gYearMonth", "month-name-year")
    if m := _YEAR.fullmatch(value):
        return ParsedDate(text, m.group(1), "gYear", "year")
    raise ValueError(f"{text!r} is not a date in any accepted form.")


_ISO_DURATION = re.compile(r"P(?=\d)(\d+Y)?(\d+M)?(\d+D)?")
_YEARS = re.compile(r"(\d+)(?:\s*(?:tahun|years?|thn|th|yrs?))?", re.IGNORECASE)
_MONTHS_TERM = re.compile(r"(\d+)\s*(?:bulan|months?|bln)", re.IGNORECASE)


def parse_duration(text: str) -> Literal:
    """Read a term: an ISO duration (``P5Y``), ``5 tahun``, ``5 years``, ``18 bulan`` or a bare ``5`` (years).

    >>> parse_duration("5 tahun")
    rdflib.term.Literal('P5Y', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#duration'))

    Raises
    ------
    ValueError
        If the text is not a term in any of those forms.
    """
    value = " ".join(text.split())
    if _ISO_DURATION.fullmatch(value.upper()):
        lexical = value.upper()
    elif m := _MONTHS_TERM.fullmatch(value):
        lexical = f"P{int(m.group(1))}M"
    elif m := _YEARS.fullmatch(value):
        lexical = f"P{int(m.group(1))}Y"
    else:
        raise ValueError(f"{text!r} is not a term.")
    return Literal(lexical, datatype=URIRef(_XSD + "duration"), normalize=False)
