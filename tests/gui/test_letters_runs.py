"""A run of many letters prints each letter as it prints alone: the laid-out bodies the painter keeps between
letters (``LetterPainter.laid_out``) and the template compiled once per run (``templates.template_renderer``)
change nothing on paper or in the text."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from gui.test_paper import pdf_pages
from unit.test_letters_content import build_world

from konferenz.letters import content, templates
from konferenz.storage.db import Database
from ui.paper import letters as letter_paper
from ui.paper.letters import letters_pdf


def _bodies(n: int) -> list[str]:
    """``n`` different bodies: long ones that break onto a second page, short ones, a list."""
    long = "".join(f"<p>Absatz {i}: " + "Wir laden Sie herzlich ein. " * 14 + "</p>" for i in range(9))
    return [
        long,
        "<p>Kurz und gut.</p>",
        "<p>Einleitung:</p><ul><li>Wohnen</li><li>Arbeit</li></ul><p>Schluss.</p>",
        long.replace("Absatz", "Teil"),
        "<p>Şeyma Çelik und محمد الأحمد sind dabei.</p>",
        "<p>Noch einer.</p>",
    ][:n]


def test_a_run_prints_every_letter_as_it_prints_alone(qapp: object, sqlite_db: Database) -> None:
    build_world(sqlite_db)
    base = content.letter_contents(sqlite_db, 2026)
    assert len(base) >= 3
    bodies = _bodies(6)
    assert len(bodies) > letter_paper._KEPT_BODIES  # the kept bodies are replaced during the run
    # bodies in an order that comes back to ones laid out before, some after they were dropped
    order = [0, 1, 0, 2, 3, 4, 5, 0, 1, 1, 3]
    letters = [replace(base[i % len(base)], body_html=bodies[b]) for i, b in enumerate(order)]
    together = pdf_pages(letters_pdf(letters))
    alone: list[list[object]] = []
    for letter in letters:
        alone.extend(pdf_pages(letters_pdf([letter])))
    assert len(together) == len(alone) > len(letters)  # the long bodies take a second page
    for page, (run, single) in enumerate(zip(together, alone, strict=True)):
        assert run == single, page


def test_a_template_is_compiled_once_per_run(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's template changed while a run fills it in: the run keeps the version it started with;
    the next run reads the new one."""
    build_world(sqlite_db)
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    monkeypatch.setattr(templates, "user_template_dir", lambda: folder)
    own = folder / "eigene.html.j2"
    own.write_text("{% set subject = 'Alt' %}<p>alt {{ salutation }}</p>", encoding="utf-8")
    render = templates.template_renderer("eigene")
    first = render({"salutation": "Öztürk"})
    own.write_text("{% set subject = 'Neu' %}<p>neu {{ salutation }}</p>", encoding="utf-8")
    later = time.time() + 5
    os.utime(own, (later, later))  # a newer modification time, as an editor would leave it
    assert render({"salutation": "Nguyễn"}) == templates.Rendered("Alt", "<p>alt Nguyễn</p>")
    assert first == templates.Rendered("Alt", "<p>alt Öztürk</p>")
    assert templates.render_template("eigene", {"salutation": "Çelik"}).subject == "Neu"
    letters = content.letter_contents(sqlite_db, 2026, template="eigene")
    assert letters and all(letter.body_html.startswith("<p>neu ") for letter in letters)
    # a broken template: the German message with the line, raised when the run starts
    own.write_text("<p>\n{{ anrede }}</p>", encoding="utf-8")
    os.utime(own, (later + 5, later + 5))
    with pytest.raises(templates.TemplateError, match=r"Zeile 2: „anrede“ ist kein bekannter Platzhalter"):
        templates.template_renderer("eigene")({})
