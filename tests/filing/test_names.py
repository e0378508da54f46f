"""File name cleaning and title suggestions."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.filing.names import clean_file_name, meaningful_title, title_from_file_name

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in "123456789¹²³"
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Bescheid.pdf", "Bescheid.pdf"),
        ("CON", "CON_"),
        ("con.pdf", "con_.pdf"),
        ("Nul.tar.gz", "Nul_.tar.gz"),
        ("LPT9.txt", "LPT9_.txt"),
        ("COM¹.txt", "COM¹_.txt"),
        ("CONIN$", "CONIN$_"),
        ("conout$.log", "conout$_.log"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),  # only exact device names are reserved
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("a/b.pdf", "b.pdf"),
        ("/etc/passwd", "passwd"),
        ("ordner/", "ordner"),
        ("Rechnung...", "Rechnung"),
        ("Rechnung. . .", "Rechnung"),
        ("  Antrag.pdf  ", "Antrag.pdf"),
        ('Frage: "Was?" <ja>|nein*.txt', "Frage_ _Was__ _ja__nein_.txt"),
        ("Zeile\x00eins\x1f\x7f.txt", "Zeileeins.txt"),
        ("rechnung\u202efdp.exe", "rechnungfdp.exe"),  # bidi override removed
        ("..", "Dokument"),
        ("", "Dokument"),
        ("\x00\x01", "Dokument"),
        ("C:Bericht.pdf", "C_Bericht.pdf"),
    ],
)
def test_clean_file_name(raw: str, expected: str) -> None:
    assert clean_file_name(raw) == (expected, raw != expected)


def test_nfd_umlauts_become_nfc() -> None:
    name, changed = clean_file_name("Mu\u0308ller.pdf")
    assert name == "Müller.pdf"
    assert unicodedata.is_normalized("NFC", name)
    assert changed


def test_long_name_is_capped_keeping_the_extension() -> None:
    name, changed = clean_file_name("x" * 300 + ".pdf")
    assert changed
    assert len(name) == 150
    assert name.endswith("x.pdf")


def test_cap_does_not_split_surrogates_or_graphemes() -> None:
    emoji = "\U0001f4c4"  # two UTF-16 units
    name, _ = clean_file_name(emoji * 100 + ".pdf", max_len=51)
    assert name == emoji * 23 + ".pdf"  # 46 + 4 units; a 24th would need 2 more
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme, 8 units
    name, _ = clean_file_name("a" * 40 + family + ".pdf", max_len=48)
    assert name == "a" * 40 + ".pdf"
    combining = "e\u0301" * 5  # NFC keeps no precomposed form for all; here it does: é
    name, _ = clean_file_name("q\u0323\u0307" * 20 + ".txt", max_len=20)  # q + 2 marks
    stem = name.removesuffix(".txt")
    assert not unicodedata.category(stem[0]).startswith("M")
    assert len(stem) % 3 == 0  # whole graphemes only
    assert clean_file_name(combining)[0] == unicodedata.normalize("NFC", combining)


def test_reserved_check_survives_capping() -> None:
    name, _ = clean_file_name("CON." + "x" * 300, max_len=20)
    assert name.split(".")[0].upper() != "CON"
    assert len(name) <= 20


def test_nfc_input_that_is_clean_is_unchanged() -> None:
    assert clean_file_name("Grüße an Frau Weiß.docx") == ("Grüße an Frau Weiß.docx", False)


_windows_bad = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=8, max_value=255))
def test_clean_file_name_properties(raw: str, max_len: int) -> None:
    name, changed = clean_file_name(raw, max_len)
    assert name
    assert not _windows_bad.search(name)
    assert not name.endswith((".", " "))
    assert len(name.encode("utf-16-le")) // 2 <= max_len
    assert name.split(".")[0].rstrip(" ").upper() not in WINDOWS_RESERVED
    assert unicodedata.is_normalized("NFC", name)
    assert changed == (name != raw)
    # Idempotent: the pipeline cleans first and extract() checks again.
    assert clean_file_name(name, max_len) == (name, False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Antrag_Bauvorhaben_Mueller.pdf", "Antrag Bauvorhaben Mueller"),
        ("antrag-auf-baugenehmigung.pdf", "antrag auf baugenehmigung"),
        ("Müller-Lüdenscheidt Vertrag.pdf", "Müller-Lüdenscheidt Vertrag"),
        ("Müller-Lüdenscheidt.pdf", "Müller-Lüdenscheidt"),
        ("2024-03-15 Protokoll.docx", "2024-03-15 Protokoll"),
        ("Scan  __  0001.pdf", "Scan 0001"),
        ("Mu\u0308ller.txt", "Müller"),
        ("C:\\Users\\x\\Brief an Amt.odt", "Brief an Amt"),
        (".pdf", ".pdf"),
        ("___.pdf", "Dokument"),
        ("Version 2.1 final", "Version 2.1 final"),
    ],
)
def test_title_from_file_name(raw: str, expected: str) -> None:
    assert title_from_file_name(raw) == expected


def test_title_is_capped() -> None:
    assert len(title_from_file_name("Wort " * 100 + ".pdf")) <= 200


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Bescheid über Abwassergebühren", "Bescheid über Abwassergebühren"),
        ("  Antrag\n auf   Förderung ", "Antrag auf Förderung"),
        ("Microsoft Word - Dokument1.docx", None),
        ("Microsoft Word - Einladung Bauausschuss", "Einladung Bauausschuss"),
        ("untitled", None),
        ("Unbenannt 3", None),
        ("Scan0001", None),
        ("Scan_2024.pdf", None),
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_meaningful_title(raw: str | None, expected: str | None) -> None:
    assert meaningful_title(raw) == expected
