"""Dates in ISO and Indonesian forms, each reporting the form it was read in."""

from __future__ import annotations

import pytest

from sistercity_kg.importers.dates import DATE_FORMS, parse_date, parse_duration


@pytest.mark.parametrize(
    ("text", "lexical", "datatype", "form"),
    [
        ("2015-05-24", "2015-05-24", "date", "iso-date"),
        ("2015-05", "2015-05", "gYearMonth", "iso-year-month"),
        ("24 Mei 2015", "2015-05-24", "date", "day-month-name-year"),
        ("3 agustus 2014", "2014-08-03", "date", "day-month-name-year"),
        ("24 May 2015", "2015-05-24", "date", "day-month-name-year"),
        ("24/05/2015", "2015-05-24", "date", "day/month/year"),
        ("5/6/2015", "2015-06-05", "date", "day/month/year"),
        ("Mei 2015", "2015-05", "gYearMonth", "month-name-year"),
        ("Desember 2013", "2013-12", "gYearMonth", "month-name-year"),
        ("2015", "2015", "gYear", "year"),
    ],
)
def test_every_form_is_read_and_named(text: str, lexical: str, datatype: str, form: str) -> None:
    parsed = parse_date(text)
    assert (parsed.lexical, parsed.datatype_name, parsed.form) == (lexical, datatype, form)
    assert str(parsed.literal.datatype).endswith("#" + datatype)


def test_the_forms_listed_are_the_forms_read() -> None:
    examples = ["2015-05-24", "2015-05", "24 Mei 2015", "24/05/2015", "Mei 2015", "2015"]
    assert tuple(parse_date(e).form for e in examples) == DATE_FORMS


@pytest.mark.parametrize("text", ["31/02/2015", "32 Mei 2015", "Mai 2015", "2015-13", "next year", "24.05.2015", ""])
def test_non_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(("text", "lexical"), [("P5Y", "P5Y"), ("5 tahun", "P5Y"), ("5 years", "P5Y"), ("5", "P5Y"), ("18 bulan", "P18M")])
def test_terms(text: str, lexical: str) -> None:
    assert str(parse_duration(text)) == lexical


def test_bad_term() -> None:
    with pytest.raises(ValueError):
        parse_duration("selamanya")
