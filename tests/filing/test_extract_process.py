"""Extraction in a child process: the same result as in-process, and a crash costs one file."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.demo import samples
from sync.errors import FilingRejectedError
from sync.filing.extract_process import ExtractionProcess
from sync.filing.preparation import extract_here


@pytest.fixture
def extraction() -> Iterator[ExtractionProcess]:
    made = ExtractionProcess()
    yield made
    made.shutdown()


def test_the_child_extracts_what_this_process_would(
    extraction: ExtractionProcess, tmp_path: Path
) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(samples.text_pdf("Bauantrag Gartenstraße", ["Sehr geehrte Damen und Herren"]))
    there = extraction(pdf, "brief.pdf")
    here = extract_here(pdf, "brief.pdf")
    assert there == here
    assert "Gartenstraße" in there.text


def test_a_rejection_arrives_typed(extraction: ExtractionProcess, tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(FilingRejectedError) as here:
        extract_here(broken, "kaputt.pdf")
    with pytest.raises(FilingRejectedError) as there:
        extraction(broken, "kaputt.pdf")
    assert (there.value.reason, there.value.message) == (here.value.reason, here.value.message)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_dead_child_rejects_that_file_and_the_next_gets_a_new_one(
    extraction: ExtractionProcess, tmp_path: Path
) -> None:
    text = tmp_path / "notiz.txt"
    text.write_text("Rückruf erbeten", encoding="utf-8")
    extraction(text, "notiz.txt")  # the child runs now
    pool = extraction._executor()
    for process in list(pool._processes.values()):  # as if a parser had crashed it
        os.kill(process.pid, signal.SIGKILL)
        process.join()
    with pytest.raises(FilingRejectedError) as crashed:
        extraction(text, "notiz.txt")
    assert crashed.value.reason == "crashed" and "notiz.txt" in crashed.value.message
    assert "Rückruf" in extraction(text, "notiz.txt").text
