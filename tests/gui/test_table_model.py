"""LazyTableModel: ids from SQL, rows fetched lazily in blocks, Qt's model contract (qtmodeltester)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QLocale, Qt
from unit.test_lists import Sample, build_sample

from konferenz.lists.conferences import AgendaList, ConferenceList, MinutesList, RecommendationList
from konferenz.lists.registry import OrganisationList, PersonList, municipality_choices
from konferenz.lists.source import ListSource
from konferenz.storage.db import Database
from konferenz.storage.models import Conference, Person
from konferenz.text import search_text
from ui.widgets.list_panel import entries_text
from ui.widgets.table_model import LazyTableModel

FIRST = ["Anna", "Mehmet", "Ayşe", "Jürgen", "Thi Lan", "Olga", "Peter", "Fatma", "Luca", "Émile"]
LAST = ["Becker", "Yılmaz", "Nguyen", "Schulte", "Kowalski", "Hoffmann", "Demir", "Weber", "Kaya", "Lange"]


def add_persons(database: Database, count: int) -> None:
    """``count`` more persons in one bulk insert (names repeat, so sorting needs the id tiebreak)."""
    rows = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        city = "Bocholt" if i % 3 else "Ahaus"
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "city": city,
                "email": f"person{i}@example.org",
                "search_text": search_text(first, last, city, f"person{i}@example.org"),
            }
        )
    with database.session() as session:
        session.execute(sa.insert(Person), rows)


@pytest.fixture
def sample(sqlite_db: Database) -> Sample:
    data = build_sample(sqlite_db)
    add_persons(sqlite_db, 1000)
    return data


@pytest.fixture
def small_sample(sqlite_db: Database) -> Sample:
    """Enough persons for two blocks, few enough for the model tester, which reads every row."""
    data = build_sample(sqlite_db)
    add_persons(sqlite_db, 250)
    return data


@pytest.fixture
def german_locale() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(previous)


def _sources(sample: Sample) -> list[ListSource]:
    conference = sample.conferences[2025]
    return [
        PersonList(),
        OrganisationList(),
        ConferenceList(),
        AgendaList(conference),
        MinutesList(conference),
        RecommendationList(),
    ]


def _model(db: Database, source: ListSource, **kwargs: int) -> LazyTableModel:
    model = LazyTableModel(db, source, **kwargs)
    model.refresh()
    return model


def _display(model: LazyTableModel, row: int, column: int) -> object:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
@pytest.mark.parametrize("which", range(6))
def test_every_list_model_passes_the_model_tester(
    qtmodeltester, sqlite_db, small_sample, which, force_py
) -> None:
    """The tester checks the model once and again after every reset: search, sort, empty result."""
    source = _sources(small_sample)[which]
    model = _model(sqlite_db, source)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=force_py)
    model.set_search("e")
    assert model.rowCount() > 0
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        model.sort(column, Qt.SortOrder.AscendingOrder)
    model.set_search("zzzz-nichts")
    assert model.rowCount() == 0
    model.set_search("")
    model.refresh()
    assert model.rowCount() > 0


def test_rows_are_fetched_in_blocks_and_the_cache_is_bounded(sqlite_db, sample) -> None:
    model = _model(sqlite_db, PersonList(), block_size=50, max_blocks=4)
    assert model.rowCount() == 1010
    assert model.cached_blocks() == 0  # only ids after a refresh
    assert _display(model, 0, 0) == "al-Hassan"
    assert model.cached_blocks() == 1
    _display(model, 49, 0)
    assert model.cached_blocks() == 1  # same block
    with sqlite_db.read_session() as session:
        expected = PersonList().rows(session, model.ids())
    for row in range(model.rowCount()):
        assert model.row_values(row) == expected[model.id_at(row)]
        assert model.cached_blocks() <= 4
    assert model.cached_blocks() == 4


def test_the_model_keeps_no_database_connection(sqlite_db, sample) -> None:
    model = _model(sqlite_db, PersonList())
    _display(model, 500, 3)
    assert sqlite_db.engine.pool.checkedout() == 0


def test_search_and_sort_happen_in_sql_and_reset_the_model(qtbot, sqlite_db, sample) -> None:
    model = _model(sqlite_db, PersonList())
    with qtbot.waitSignals([model.modelReset, model.loaded]):
        model.set_search("ozturk")
    assert model.rowCount() == 1
    assert model.id_at(0) == sample.persons["Öztürk"]
    assert _display(model, 0, 0) == "Öztürk"
    assert model.total_count() == 1010

    model.set_search("")
    model.sort(1, Qt.SortOrder.DescendingOrder)  # Vorname
    assert model.sort_key == "first_name"
    with sqlite_db.read_session() as session:
        expected = PersonList().ids(session, sort_key="first_name", descending=True)
    assert model.ids() == expected
    assert [_display(model, r, 1) for r in (0, 1)] == ["Олег", "Thi Lan"]  # Cyrillic after Latin
    # column -1 (sort indicator cleared) is the default order again
    model.sort(-1)
    assert model.sort_key is None
    assert _display(model, 0, 0) == "al-Hassan"
    assert model.row_of(sample.persons["Öztürk"]) is not None
    assert model.row_of(-5) is None


def test_sort_and_search_before_the_first_load_only_remember(qtbot, sqlite_db, sample) -> None:
    model = LazyTableModel(sqlite_db, PersonList())
    model.set_search("ozturk")
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == 0
    assert not model.is_loaded
    model.refresh()
    assert model.ids() == [sample.persons["Öztürk"]]


def test_refresh_shows_changes_and_deleted_rows_do_not_crash(sqlite_db, sample) -> None:
    model = _model(sqlite_db, ConferenceList())
    assert model.rowCount() == 2
    with sqlite_db.session() as session:
        session.add(Conference(year=2026, title="Zusammenhalt", date=dt.date(2026, 9, 17)))
    model.refresh()
    assert model.rowCount() == 3
    assert _display(model, 0, 0) == "2026"
    assert _display(model, 0, 2) == "17.09.2026"
    # a record deleted after the ids were loaded shows as an empty row until the next refresh
    with sqlite_db.session() as session:
        session.execute(sa.delete(Conference).where(Conference.year == 2026))
    model.clear_cache()
    assert _display(model, 0, 1) == ""
    model.refresh()
    assert model.rowCount() == 2


def test_switching_the_source_keeps_search_and_shows_the_other_conference(sqlite_db, sample) -> None:
    model = _model(sqlite_db, AgendaList(sample.conferences[2025]))
    assert model.rowCount() == 4
    model.set_source(AgendaList(sample.conferences[2024]))
    assert [_display(model, r, 2) for r in range(model.rowCount())] == ["Begrüßung 2024"]
    model.set_database(None)
    assert model.rowCount() == 0


def test_quantities_are_right_aligned_and_grouped(sqlite_db, sample, german_locale) -> None:
    model = _model(sqlite_db, ConferenceList())
    capacity = model.index(0, 4)
    assert model.data(capacity) == "1.200"
    assert model.data(capacity, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert not model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(model.index(0, 0)) == "2025"  # a year is not a quantity: no "2.025"
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Kapazität"


def test_long_text_has_a_wrapping_tooltip(sqlite_db, sample) -> None:
    model = _model(sqlite_db, AgendaList(sample.conferences[2025]))
    contributors = model.index(1, 5)
    tooltip = model.data(contributors, Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("<p>")
    assert "Moderation: Ayşe Öztürk" in tooltip
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) is None


def test_entries_text() -> None:
    assert entries_text(1234, 1234, searching=False) == "1.234 Einträge"
    assert entries_text(1, 1, searching=False) == "1 Eintrag"
    assert entries_text(0, 0, searching=False) == "0 Einträge"
    assert entries_text(12, 1234, searching=True) == "12 von 1.234 Einträgen"
    assert entries_text(1, 1, searching=True) == "1 von 1 Eintrag"


def test_typing_keeps_the_filter_and_the_count_and_refresh_reads_them_again(sqlite_db, sample) -> None:
    """While the user types, the filter's ids and the count without the search are kept (each costs as
    much as the search on 100,000 persons); a refresh after a change reads them again."""
    with sqlite_db.read_session() as s:
        bocholt = dict((name, mid) for mid, name in municipality_choices(s))["Bocholt"]
    with sqlite_db.session() as s:
        s.add(Person(last_name="Öztürk", first_name="Emre", municipality_id=bocholt))
    model = _model(sqlite_db, PersonList(municipality_ids=[bocholt]))
    before = [_display(model, r, 1) for r in range(model.rowCount())]
    assert "Emre" in before and "Ayşe" not in before and model.total_count() == len(before)
    reads: list[str] = []
    source = model.source
    original = source.facet_ids
    source.facet_ids = lambda session: reads.append("facets") or original(session)  # type: ignore[method-assign]
    with sqlite_db.session() as s:
        s.add(Person(last_name="Öztürk", first_name="Ayşe", municipality_id=bocholt))
    for text in ("ö", "öz", "özt", ""):
        model.set_search(text)
    assert reads == []  # kept while typing
    assert "Ayşe" not in {_display(model, r, 1) for r in range(model.rowCount())}  # the kept ids
    model.set_search("e")
    model.refresh()  # after a change: read again
    assert reads == ["facets"]
    assert model.total_count() == len(before) + 1
    model.set_search("")
    assert {_display(model, r, 1) for r in range(model.rowCount())} == {*before, "Ayşe"}
