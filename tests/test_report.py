"""The partnership report: content, self-containment, languages, Markdown, CLI, and a real
screenshot in headless Chromium (Debian ``chromium``)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import sistercity_kg as sck
from sistercity_kg import ParameterError
from sistercity_kg.cli import main
from sistercity_kg.report import build_report, to_html, to_markdown, write_report

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def html_en() -> str:
    return to_html(build_report(sck.load()))


def test_the_report_has_every_section(html_en: str) -> None:
    for anchor in ("actors", "lifecycle", "timeline", "activities", "transfer", "disagreements", "gaps",
                   "network", "source-list"):
        assert f'<section id="{anchor}">' in html_en
    assert "Bandung City Government" in html_en and "Seoul Metropolitan Government" in html_en
    assert "Wikidata Q10389" in html_en
    # the lifecycle: the letter of intent is dated, the memorandum of understanding is not
    assert re.search(r"letter of intent</b><span class=\"when\">2015</span>", html_en)
    assert re.search(r"memorandum of understanding</b><span class=\"when\">no date found", html_en)


def test_both_conflicting_cikapundung_claims_appear_with_their_sources(html_en: str) -> None:
    section = html_en.split('<section id="disagreements">')[1].split("</section>")[0]
    for value, source in [("Rp 50 billion", "Ayobandung"), ("Rp 25 billion (city budget)", "detik"),
                          ("Kecamatan Grogol (as reported)", "Ayobandung"), ("Pasirluyu, Kecamatan Regol", "balebandung")]:
        row = next((r for r in section.split("<tr>") if f"<b>{value}</b>" in r), "")
        assert row, value
        assert source in row.split(f"<b>{value}</b>")[1].split("</td>")[0], (value, source)


def test_the_statuses_of_kampung_korea_are_dated_with_sources(html_en: str) -> None:
    section = html_en.split('<section id="activities">')[1].split("</section>")[0]
    row = next(r for r in section.split("<tr>") if "Kampung Korea in Bandung</b>" in r)
    for status, date in [("under construction", "2017"), ("opened", "2019-08-17"), ("suspended", "2020-03")]:
        assert re.search(rf">{status}</span><span class=\"small\">{date} — Bisnis", row), status


def test_the_page_is_self_contained(html_en: str) -> None:
    assert "<script" not in html_en
    assert not re.search(r"""(src|srcset)\s*=\s*["']?https?:""", html_en)
    assert "@import" not in html_en and not re.search(r"url\(\s*['\"]?https?:", html_en)
    assert "<link" not in html_en
    assert html_en.count("<svg") >= 2  # the timeline and the network, inline
    assert "@media print" in html_en


def test_indonesian_text() -> None:
    page = to_html(build_report(sck.load(), lang="id"))
    assert '<html lang="id">' in page
    assert "Di mana sumber berbeda" in page and "Pemerintah Kota Bandung" in page
    assert "Where sources disagree" not in page
    with pytest.raises(ParameterError):
        build_report(sck.load(), lang="fr")


def test_markdown_and_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = to_markdown(build_report(sck.load(), picture=False))
    assert text.startswith("# Bandung–Seoul Sister City cooperation")
    assert "| Restoration of 1 km of the Cikapundung with Seoul | budget | Rp 50 billion" in text
    assert main(["report", "--out", str(tmp_path / "r.md")]) == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# ")
    assert main(["report", "sckid:partnership/bandung-seoul-sister-city", "--out", str(tmp_path / "r.html"),
                 "--lang", "id"]) == 0
    assert "Laporan kemitraan" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert main(["report", "sckid:partnership/nothing", "--out", str(tmp_path / "x.html")]) == 2
    assert "not a sck:Partnership" in capsys.readouterr().err


def test_an_unknown_partnership_or_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterError):
        write_report(sck.load(), tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")
def test_headless_chromium_renders_the_report(tmp_path: Path) -> None:
    page = write_report(sck.load(), tmp_path / "report.html")
    shot = tmp_path / "report.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2400",
         page.resolve().as_uri()],
        check=True, capture_output=True, timeout=180,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2400)
    assert len(data) > 100_000  # a page with text and figures, not a blank canvas
