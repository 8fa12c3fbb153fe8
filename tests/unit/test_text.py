"""The search key: spellings of one name meet, other scripts survive."""

from __future__ import annotations

import pytest

from konferenz.text import collapse_spaces, fold, search_text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Öztürk", "Oeztuerk"),
        ("Öztürk", "OZTURK"),
        ("Straße", "Strasse"),
        ("Yıldız", "Yildiz"),
        ("İbrahim", "ibrahim"),
        ("Şahin", "Sahin"),
        ("Çelik", "Celik"),
        ("Nguyễn Thị Đào", "nguyen thi dao"),
        ("Łukasz Wiśniewski", "Lukasz Wisniewski"),
        ("José", "Jose"),
        ("Müller  \u00a0Anna ", "Mueller Anna"),
    ],
)
def test_spellings_meet(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize("name", ["Иванова", "Шевченко", "محمد الحسن", "김민준"])
def test_other_scripts_are_kept(name: str) -> None:
    folded = fold(name)
    assert folded
    assert folded == fold(name.upper())
    # no letter of the script is lost
    assert len(folded.replace(" ", "")) >= len(name.replace(" ", "")) - 2


def test_cyrillic_case_folds() -> None:
    assert fold("ИВАНОВА") == fold("иванова")


def test_different_names_stay_different() -> None:
    assert fold("Müller") != fold("Miller")
    assert fold("Şahin") != fold("Sahib")


def test_search_text_joins_and_skips_empty() -> None:
    assert search_text("Ayşe", None, "", "Öztürk") == "ayse ozturk"


def test_collapse_spaces() -> None:
    assert collapse_spaces("  a \t b\u00a0 c\n") == "a b c"
