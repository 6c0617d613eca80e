"""Time: a partnership's timeline and the status of its activities as of a date.

Both are thin layers over two named queries, so they answer the same on every store and can
be restricted to chosen sources (see :mod:`sistercity_kg.sources`):

* :func:`timeline` groups the rows of ``queries/cq-timeline.rq`` into one
  :class:`TimelineEvent` per dated step, with every source that reports it;
* :func:`status_as_of` runs ``queries/cq-status-as-of.rq``: the latest dated status of each
  activity up to a day, with its source (a change dated only to a month or year counts once
  that whole month or year has passed).

Dates keep the precision the source gives: ``"2015"``, ``"2017-07"`` or ``"2019-08-17"``.

Examples
--------
>>> import sistercity_kg as sck
>>> kg = sck.load()
>>> [(s.status_label, s.since) for s in status_as_of(kg, "2018-01-01", activity="sckid:activity/little-korea-in-bandung")]
[('under construction', '2017')]
>>> [(s.status_label, s.since) for s in status_as_of(kg, "2020-01-01", activity="sckid:activity/little-korea-in-bandung")]
[('opened', '2019-08-17')]
>>> events = timeline(kg)
>>> events[0].date <= events[-1].date
True
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from rdflib import URIRef

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["TimelineEvent", "StatusAsOf", "timeline", "status_as_of", "date_bounds"]

#: The partnership of the bundled data.
DEFAULT_PARTNERSHIP = "sckid:partnership/bandung-seoul-sister-city"


@dataclass(frozen=True)
class TimelineEvent:
    """One dated step of a partnership, with every source that reports it.

    Attributes
    ----------
    date : str
        As precise as the sources give it: ``"2015"``, ``"2017-07"`` or ``"2019-08-17"``.
    kind : str
        ``"status-change"``, ``"agreement"``, ``"term-begins"`` or ``"term-ends"``.
    subject, subject_label : the activity, agreement, partnership or term of office.
    what, what_label : the new status or stage, or the role (may be None).
    sources : tuple of URIRef
        The source documents that report it.
    source_titles : tuple of str
        Their titles, in the same order.
    """

    date: str
    kind: str
    subject: URIRef
    subject_label: str
    what: URIRef | None
    what_label: str | None
    sources: tuple[URIRef, ...]
    source_titles: tuple[str, ...]

    @property
    def start(self) -> _dt.date:
        """The first day the date can mean."""
        return date_bounds(self.date)[0]


@dataclass(frozen=True)
class StatusAsOf:
    """The status an activity had on a day, by the latest dated report up to then."""

    activity: URIRef
    activity_label: str
    about: URIRef
    status: URIRef
    status_label: str
    since: str
    source: URIRef
    source_title: str
    via: URIRef | None


def date_bounds(text: str) -> tuple[_dt.date, _dt.date]:
    """The first and last day a date of year, month or day precision can mean.

    >>> date_bounds("2020-03")
    (datetime.date(2020, 3, 1), datetime.date(2020, 3, 31))
    >>> date_bounds("2017")
    (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))
    """
    parts = [int(p) for p in str(text)[:10].split("-") if p]
    if len(parts) == 1:
        return _dt.date(parts[0], 1, 1), _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        following = _dt.date(year + (month == 12), month % 12 + 1, 1)
        return _dt.date(year, month, 1), following - _dt.timedelta(days=1)
    day = _dt.date(*parts[:3])
    return day, day


def timeline(
    kg: "KnowledgeGraph",
    partnership: str | URIRef = DEFAULT_PARTNERSHIP,
    *,
    lang: str = "en",
    sources: Iterable[str] | str | None = None,
) -> list[TimelineEvent]:
    """The dated steps of a partnership, oldest first, one per step with all its sources."""
    rows = kg.query("cq-timeline", bindings={"partnership": partnership, "lang": lang}, sources=sources).rows
    grouped: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for row in rows:
        key = (str(row["date"]), str(row["kind"]), str(row["subject"]), str(row.get("what") or ""))
        entry = grouped.setdefault(key, {"row": row, "sources": {}})
        entry["sources"][row["source"]] = str(row.get("sourceTitle") or row["source"])
    events = []
    for (date, kind, subject, _), entry in grouped.items():
        row = entry["row"]
        srcs = sorted(entry["sources"])
        events.append(TimelineEvent(
            date=date,
            kind=kind,
            subject=URIRef(subject),
            subject_label=str(row.get("subjectLabel") or subject.rsplit("/", 1)[-1]),
            what=row.get("what"),
            what_label=None if row.get("whatLabel") is None else str(row["whatLabel"]),
            sources=tuple(srcs),
            source_titles=tuple(entry["sources"][s] for s in srcs),
        ))
    return sorted(events, key=lambda e: (date_bounds(e.date)[0], e.kind, str(e.subject)))


def status_as_of(
    kg: "KnowledgeGraph",
    date: str | _dt.date,
    *,
    activity: str | URIRef | None = None,
    lang: str = "en",
    sources: Iterable[str] | str | None = None,
) -> list[StatusAsOf]:
    """The status of each activity (or of one, through identifications too) as of ``date``."""
    bindings: dict[str, Any] = {"date": date, "lang": lang}
    if activity is not None:
        bindings["activity"] = activity
    rows = kg.query("cq-status-as-of", bindings=bindings, sources=sources).rows
    return [
        StatusAsOf(
            activity=row["activity"],
            activity_label=str(row.get("activityLabel") or row["activity"]),
            about=row["about"],
            status=row["status"],
            status_label=str(row.get("statusLabel") or row["status"]),
            since=str(row["since"]),
            source=row["source"],
            source_title=str(row.get("sourceTitle") or row["source"]),
            via=row.get("via"),
        )
        for row in rows
    ]
