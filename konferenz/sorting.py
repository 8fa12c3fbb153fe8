"""The filing order of persons and organisations (DIN 5007-1, dictionary variant), as pure key functions.

The stored keys ``person.sort_name`` and ``organisation.sort_name`` are these functions' values; SQL orders
by them byte-wise (``konferenz.storage.schema.person_order``), in-memory lists by ``person_key`` and
``organisation_key``. Both give the same total order, on every backend: folded last name, then folded first
name (the stored key "ozturk ayse"), then the id. Umlauts and accents count as their base letter, ß as ss,
case is ignored (``konferenz.text.fold``); the name particle (``name_prefix``: von, van der, de) is not part
of the key; a shorter name comes first ("li" < "lia", as the space sorts before every letter); names in
other scripts follow the Latin ones (their code points are larger).
"""

from __future__ import annotations

from konferenz.text import fold

#: longest stored person key (the column's length)
SORT_NAME_LENGTH = 400
#: longest stored organisation key (the column's length, that of ``organisation.name``)
ORGANISATION_SORT_NAME_LENGTH = 200


def person_sort_name(last_name: str | None, first_name: str | None) -> str:
    """The stored sort key of a person: folded last name, a space, folded first name ("ozturk ayse")."""
    return f"{fold(last_name or '')} {fold(first_name or '')}".strip()[:SORT_NAME_LENGTH]


def organisation_sort_name(name: str | None) -> str:
    """The stored sort key of an organisation: its folded name."""
    return fold(name or "")[:ORGANISATION_SORT_NAME_LENGTH]


def _bytewise(key: str) -> bytes:
    # the databases compare the stored key byte by byte (SQLite's BINARY, PostgreSQL's COLLATE "C"):
    # UTF-8 bytes, not Python's code-point order (they agree, but say what the SQL side does)
    return key.encode("utf-8")


def person_key(last_name: str | None, first_name: str | None, person_id: int | None) -> tuple[bytes, int]:
    """The in-memory sort key of a person, equal to ``ORDER BY person.sort_name, person.id``."""
    return (_bytewise(person_sort_name(last_name, first_name)), person_id or 0)


def organisation_key(name: str | None, organisation_id: int | None) -> tuple[bytes, int]:
    """The in-memory sort key of an organisation, equal to ``ORDER BY organisation.sort_name, organisation.id``."""
    return (_bytewise(organisation_sort_name(name)), organisation_id or 0)


def invitee_key(
    last_name: str | None, first_name: str | None, organisation_name: str | None, invitation_id: int | None
) -> tuple[bytes, int]:
    """The in-memory sort key of an invitation (``konferenz.storage.schema.invitee_order``): the person's key,
    an organisation invited without a person by its name, filed among the persons; then the invitation's id.

    ``last_name`` None means "no person" (``first_name`` is then ignored)."""
    key = (
        person_sort_name(last_name, first_name)
        if last_name is not None
        else organisation_sort_name(organisation_name)
    )
    return (_bytewise(key), invitation_id or 0)
