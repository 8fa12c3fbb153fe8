"""The data protection window's reads (``konferenz.privacy.reads``) on both backends."""

from __future__ import annotations

import pytest

from konferenz.errors import UserError
from konferenz.privacy import reads
from konferenz.storage.db import Database
from konferenz.storage.models import Person


def test_person_display_names_title_name_and_number(db: Database) -> None:
    with db.session() as s:
        full = Person(title="Dr.", first_name="Ayşe", name_prefix="", last_name="Öztürk")
        particle = Person(first_name="Karl", name_prefix="von", last_name="Stein")
        s.add_all([full, particle])
        s.flush()
        ids = full.id, particle.id
    assert reads.person_display(db, ids[0]) == f"Dr. Ayşe Öztürk (Nr. {ids[0]})"
    assert reads.person_display(db, ids[1]) == f"Karl von Stein (Nr. {ids[1]})"
    with pytest.raises(UserError, match="Eine Person mit der ID 999999 gibt es nicht"):
        reads.person_display(db, 999999)
