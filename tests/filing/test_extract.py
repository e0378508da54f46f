"""The dispatcher: content decides the type, names only the title."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from sync.demo import samples
from sync.errors import FilingRejectedError
from sync.filing import extract as dispatcher
from sync.filing.extract import extract, make_thumbnail
from sync.filing.extracted import DocType, Extracted, Problem, cap_text, problem_message

Run = Callable[..., Extracted]


def test_pdf_named_txt_is_a_pdf(run: Run) -> None:
    result = run(samples.text_pdf("Haushaltssatzung", ["§ 1 Ergebnishaushalt"]), "x.txt")
    assert result.doc_type is DocType.PDF
    assert "§ 1 Ergebnishaushalt" in result.text


def test_png_named_pdf_is_an_image(run: Run) -> None:
    result = run(samples.png_image(40, 30), ".pdf")
    assert result.doc_type is DocType.IMAGE
    assert result.mime_type == "image/png"


def test_utf8_text(run: Run) -> None:
    result = run("\ufeffTelefonnotiz\r\nFrau Weiß ruft zurück.\r\n".encode(), "Notiz.txt")
    assert (result.doc_type, result.mime_type) == (DocType.TEXT, "text/plain; charset=utf-8")
    assert result.text == "Telefonnotiz\nFrau Weiß ruft zurück.\n"
    assert result.title == "Notiz"
    assert result.problems == []
    assert result.page_count is None


def test_cp1252_text(run: Run) -> None:
    result = run("Grüße aus Ringgau – 5 €".encode("cp1252"), "alt.txt")
    assert result.text == "Grüße aus Ringgau – 5 €"


def test_utf16_text(run: Run) -> None:
    result = run("Grüße aus Meinhard".encode("utf-16"), "notepad.txt")
    assert result.text == "Grüße aus Meinhard"


def test_whitespace_only_text_has_no_full_text(run: Run) -> None:
    assert run(b" \n\t\n", "leer.txt").problems == [Problem.NO_FULL_TEXT]


def test_huge_text_is_capped(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatcher, "MAX_TEXT_CHARS", 1000)
    result = run(("Zeile mit Umlaut ä\n" * 2000).encode(), "log.txt")
    assert len(result.text) == 1000
    assert Problem.TEXT_TRUNCATED in result.problems


def test_unknown_binary_is_filed_as_other(run: Run) -> None:
    result = run(bytes(range(256)) * 10, "daten.bin")
    assert result.doc_type is DocType.OTHER
    assert result.problems == [Problem.NO_PREVIEW, Problem.NO_FULL_TEXT]
    assert result.title == "daten"
    assert result.text == ""


def test_name_changed_only_for_real_changes(run: Run) -> None:
    data = b"Hallo"
    assert Problem.NAME_CHANGED in run(data, "CON.txt").problems
    assert Problem.NAME_CHANGED in run(data, "Frage?.txt").problems
    assert Problem.NAME_CHANGED not in run(data, "Mu\u0308ller.txt").problems  # NFD only
    assert Problem.NAME_CHANGED not in run(data, "Müller.txt").problems
    assert run(data, "Mu\u0308ller.txt").title == "Müller"


def test_unexpected_library_error_becomes_a_rejection(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> Extracted:
        raise IndexError("deep inside a parser")

    monkeypatch.setattr(dispatcher, "extract_pdf", broken)
    with pytest.raises(FilingRejectedError) as info:
        run(samples.text_pdf("T", ["x"]), "a/b/Antrag.pdf")
    assert info.value.reason == "pdf_corrupt"
    assert "„Antrag.pdf“" in info.value.message


def test_make_thumbnail(put: Callable[[bytes, str], Path]) -> None:
    pdf = put(samples.text_pdf("T", ["x"]), "a.pdf")
    image = put(samples.jpeg_image(400, 300), "b.jpg")
    text = put(b"Hallo", "c.txt")
    assert Image.open(io.BytesIO(make_thumbnail(pdf) or b"")).width == 200
    assert Image.open(io.BytesIO(make_thumbnail(image) or b"")).size == (200, 150)
    assert make_thumbnail(text) is None
    assert make_thumbnail(put(samples.encrypted_pdf(), "d.pdf")) is None


def test_every_problem_has_a_german_message() -> None:
    for problem in Problem:
        message = problem_message(problem)
        assert message.endswith(".")
        assert len(message) > 30


def test_cap_text_keeps_surrogate_pairs_whole() -> None:
    assert cap_text("abc", 5) == ("abc", False)
    assert cap_text("abcdef", 3) == ("abc", True)
    assert cap_text("ab\ud83d\udcc4", 3) == ("ab", True)


def test_extract_leaves_the_file_alone(put: Callable[[bytes, str], Path]) -> None:
    data = samples.docx(["Inhalt"])
    path = put(data, "x.docx")
    extract(path, "x.docx")
    assert path.read_bytes() == data
    path.unlink()  # nothing holds it open
