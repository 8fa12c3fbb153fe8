"""Deciding per row what the import does: create, update, duplicate or reject, against the database and the
rows above it (shared by the preview and the commit).

Rules against the database
--------------------------
- Category: matched by name and synonym (case and spelling ignored, "MSO" → Migrantenselbstorganisation);
  an unknown category is created and reported. A person at an organisation that already has that category
  does not get it again; otherwise the person (or a new organisation) carries it.
- Municipality: a ``Kommune`` column naming one of the municipalities wins (as in the registry),
  otherwise the PLZ decides (``municipality_for_postal_code``), otherwise, without PLZ, a city that is the
  name of a municipality.
- Organisations are matched to existing ones ignoring case, accents, punctuation and spacing
  (``registry_keys.organisation_name_key``), so all persons of one
  organisation attach to one record (as their primary role). A row with an organisation but no person
  creates (or finds) the organisation. A row with neither last name nor organisation is rejected.

Duplicates (the registry's rule table, ``konferenz.registry.evidence``)
-------------------------------------------------------------------
Each person row is weighed against the stored persons and the rows above it that share its e-mail key,
name key, Latin key or (rapidfuzz, ``Context.near``) a near name in the same bucket:
``evidence.assess_persons`` adds the weights of the shared evidence (e-mail, name, organisation, address).
A certain duplicate (the same e-mail; the same name at the same organisation or address; the same name
when one of the two has nothing else) is not created again; a possible one (the same name with a
conflicting e-mail, or a conflicting organisation and address; another script, spelling or a near name) is
created, with the message "mögliche Dublette von Person Nr. 12 (gleicher Name, andere E-Mail-Adresse) – neu
angelegt", and Bearbeiten → Dubletten suchen finds the pair again. An organisation is a duplicate when it
has the same name (``registry_keys.organisation_name_key``: legal form ignored). By default a duplicate is
not changed and is reported with the id it matched; with ``update=True`` (per row: :class:`RowChoice`) its
fields are filled and updated with the row's non-empty values (notes are appended, never replaced), and the
row's organisation becomes the person's primary one.

A column mapped to ``id`` (the first column of the registry export) names the record directly: the row
updates that record with every mapped column, empty cells included (an exported file edited in Excel and
imported again updates instead of duplicating). The id names a person when the mapping has a person's name,
otherwise an organisation. Before the rows, the column as a whole is judged (``_foreign_ids``, by ``konferenz.importing.ids``): when none of
its ids names a stored record that agrees with its row (e-mail, last name or first name; for organisations
the name), or most of those that exist disagree, it is the list's own numbering: it is ignored with one note
for the whole import (``Resolution.notes``) and every row is treated as a row without ID. Otherwise a row
whose id names a record that was deleted or anonymised is rejected (the import never brings an erased person
back) and an id that belongs to a clearly different record is ignored with a warning on that row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from sqlalchemy.orm import Session

from konferenz.enums import Gender
from konferenz.importing.cells import append_note, cached_header_key, shortened
from konferenz.importing.context import Context, row_buckets
from konferenz.importing.ids import foreign_id_kinds, org_id_agrees, person_id_agrees
from konferenz.importing.plan import Outcome, RowChoice, RowPlan
from konferenz.importing.resolution import (
    CategoryRef,
    NewCategory,
    NewOrg,
    NewPerson,
    OrgRef,
    Resolution,
    Update,
)
from konferenz.importing.rows import (
    ADDRESS_FIELDS,
    ORGANISATION_VALUE_FIELDS,
    PERSON_VALUE_FIELDS,
    ParsedRow,
    org_errors,
    person_errors,
    row_keys,
)
from konferenz.importing.running import Cancelled, Progress, check_cancelled
from konferenz.importing.updates import finish_updates
from konferenz.registry import evidence
from konferenz.registry import keys as registry_keys
from konferenz.text import collapse_spaces

_ALL_CHOICES = (RowChoice.SKIP, RowChoice.UPDATE, RowChoice.CREATE)
_NEW_CHOICES = (RowChoice.CREATE, RowChoice.SKIP)


class Resolver:
    """Decides per row: create, update, duplicate or reject (shared by preview and commit)."""

    def __init__(
        self,
        session: Session,
        parsed: Sequence[ParsedRow],
        *,
        update: bool,
        choices: Mapping[int, RowChoice],
        cancelled: Cancelled | None,
        progress: Progress | None = None,
    ) -> None:
        self.session = session
        #: a copy: rows read again without their ID replace the plan's rows here only
        self.parsed = list(parsed)
        self.update = update
        self.choices = choices
        self.cancelled = cancelled
        self.progress = progress
        self.ctx = Context(session, row_buckets(parsed))
        self.new_orgs: dict[str, NewOrg] = {}
        self.new_orgs_list: list[NewOrg] = []
        self.pseudo: dict[str, int] = {}
        self.new_persons: list[NewPerson] = []
        self.pending_email: dict[str, NewPerson] = {}
        self.pending_name: dict[str, list[NewPerson]] = {}
        self.new_categories: dict[str, NewCategory] = {}
        self.updates: dict[tuple[str, int], Update] = {}
        self.rows: list[RowPlan] = []
        self.pending_ids: dict[int, NewOrg | NewPerson] = {}
        self.notes: list[str] = []
        #: the kinds of record whose ID column is the list's own numbering (ignored)
        self.foreign_ids: set[str] = set()

    # -- helpers --------------------------------------------------------------------------------------------

    def _category(self, text: str, messages: list[str]) -> CategoryRef:
        if not text:
            return None
        found = self.ctx.category_id(text)
        if found is not None:
            return found
        key = cached_header_key(text)
        if not key:
            return None
        pending = self.new_categories.get(key)
        if pending is None:
            name = collapse_spaces(text)
            if len(name) > 100:
                messages.append(
                    f"Kategorie „{shortened(name)}“ ist zu lang (höchstens 100 Zeichen) – nicht übernommen."
                )
                return None
            pending = NewCategory(name)
            self.new_categories[key] = pending
            messages.append(f"Kategorie „{name}“ neu angelegt.")
        return pending

    def _org_identity(
        self, name: str, department: str, person_id: int | None = None
    ) -> tuple[int | None, int]:
        """(existing organisation id or None, the id used to compare persons: negative for a new one)."""
        if not name:
            return None, 0
        info = self.ctx.find_org(name, department, person_id)
        if info is not None:
            return info.id, info.id
        key = registry_keys.organisation_name_key(name)
        if key not in self.pseudo:
            self.pseudo[key] = -(len(self.pseudo) + 1)
        return None, self.pseudo[key]

    def _new_org(
        self, row: ParsedRow, messages: list[str], *, from_person: bool, force: bool = False
    ) -> NewOrg | None:
        """The new organisation of a row (one per name and file, unless ``force``)."""
        key = registry_keys.organisation_name_key(row.org_name)
        existing = self.new_orgs.get(key)
        if existing is not None and not force:
            return existing
        values = dict.fromkeys(ORGANISATION_VALUE_FIELDS, "")
        if from_person:
            for name in ("name", "short_name", "website", *ADDRESS_FIELDS):
                values[name] = row.organisation.get(name, "")
        else:
            values.update({k: v for k, v in row.organisation.items() if k in values})
        errors = org_errors(values)
        if errors:
            messages.append(f"Organisation nicht angelegt: {errors}")
            return None
        org = NewOrg(values, row.excel_row)
        org.municipality_id = self.ctx.municipality_for(
            values["postal_code"], values["country"], row.municipality, values["city"]
        )
        if existing is None:
            self.new_orgs[key] = org
        self.new_orgs_list.append(org)
        if from_person:
            messages.append(f"Organisation „{shortened(row.org_name)}“ neu angelegt.")
        return org

    def _row(
        self,
        row: ParsedRow,
        outcome: Outcome,
        messages: list[str],
        record_id: int | None,
        *,
        choices: tuple[RowChoice, ...] = (),
        choice: RowChoice | None = None,
        pending: NewOrg | NewPerson | None = None,
        duplicate_of_row: int | None = None,
    ) -> None:
        if pending is not None:
            self.pending_ids[len(self.rows)] = pending
        self.rows.append(
            RowPlan(
                row.excel_row,
                outcome,
                messages,
                record_id,
                row.kind,
                choices,
                choice,
                duplicate_of_row,
                row.values,
            )
        )

    def _reject(self, row: ParsedRow, reason: str, messages: list[str]) -> None:
        self._row(row, Outcome.REJECTED, [reason, *messages], None)

    def _choice(self, row: ParsedRow, default: RowChoice) -> RowChoice:
        return self.choices.get(row.excel_row, default)

    # -- the run ----------------------------------------------------------------------------------------------

    def run(self) -> Resolution:
        total = len(self.parsed)
        self._foreign_ids()
        for i, row in enumerate(self.parsed):
            if i % 500 == 0:
                check_cancelled(self.cancelled)
                if self.progress is not None:
                    self.progress(i, total)
            messages = list(row.messages)
            if row.kind is None:
                self._reject(row, row.rejection, messages)
            elif row.kind == "person":
                self._person_row(row, messages)
            else:
                self._organisation_row(row, messages)
        finish_updates(self.session, self.ctx, list(self.updates.values()), self.rows)
        return Resolution(
            self.rows,
            self.new_orgs_list,
            self.new_persons,
            list(self.new_categories.values()),
            list(self.updates.values()),
            self.pending_ids,
            self.ctx,
            self.notes,
        )

    # -- the ID column ----------------------------------------------------------------------------------------

    def _foreign_ids(self) -> None:
        """Decide per kind whether the ID column is this registry's numbering or the list's own
        (``ids.foreign_id_kinds``); for a foreign one add one note (on the first row with an ID, and for the
        whole import) and read the rows rejected only for their ID as rows without ID."""
        self.foreign_ids, counted = foreign_id_kinds(self.parsed, self.ctx)
        if not self.foreign_ids:
            return
        self.notes.append(
            f"Die ID-Spalte enthält nicht die Nummern dieses Programms, sondern eine eigene Nummerierung der "
            f"Liste – sie wird ignoriert ({counted} Zeilen werden wie Zeilen ohne ID behandelt)."
        )
        first = True
        for i, parsed in enumerate(self.parsed):
            row = parsed
            if parsed.without_id is not None and parsed.without_id[0] in self.foreign_ids:
                # rejected only for its ID (a record it would leave unchanged): read as a row without ID
                row = self.parsed[i] = parsed.without_id[1]
            if first and row.id_text and row.kind in self.foreign_ids:
                if self.notes[-1] not in row.messages:  # the preview and the commit resolve the same rows
                    row.messages = [self.notes[-1], *row.messages]
                first = False

    def _record_id(self, row: ParsedRow) -> int | None:
        return None if row.kind in self.foreign_ids else row.record_id

    # -- persons ----------------------------------------------------------------------------------------------

    def _person_by_id(self, row: ParsedRow, messages: list[str]) -> int | Literal[False] | None:
        """The person the row's ID names; False when the row is rejected for it."""
        assert row.record_id is not None
        info = self.ctx.persons.get(row.record_id)
        if info is None:
            self._reject(
                row,
                f"Die Person Nr. {row.record_id} gibt es nicht (mehr) – sie wird nicht wieder angelegt.",
                messages,
            )
            return False
        if info.anonymised:
            self._reject(
                row,
                f"Die Person Nr. {row.record_id} wurde anonymisiert – die Zeile wird nicht übernommen.",
                messages,
            )
            return False
        if person_id_agrees(info, row):
            return info.id
        who = " ".join(x for x in (info.first, info.last) if x)
        messages.append(
            f"ID {row.record_id} gehört zu „{shortened(who)}“, nicht zu dieser Zeile – wie eine Zeile ohne ID behandelt."
        )
        return None

    def _person_row(self, row: ParsedRow, messages: list[str]) -> None:
        by_id: int | None = None
        if self._record_id(row) is not None:
            found = self._person_by_id(row, messages)
            if found is False:
                return
            by_id = found
        org_id, org_ident = self._org_identity(row.org_name, row.role_department, by_id)
        keys = row_keys(row)
        orgs = (org_ident,) if org_ident else ()  # a tuple: a set costs 216 bytes per row
        p = row.person
        facts = evidence.person_facts(
            keys,
            orgs,
            street=p["street"],
            po_box=p["po_box"],
            postal_code=p["postal_code"],
            city=p["city"],
        )
        if by_id is not None:
            choice = self._choice(row, RowChoice.UPDATE)
            if choice is RowChoice.UPDATE:
                self._update_person(row, by_id, messages, by_id=True)
            elif choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Person Nr. {by_id} (ID) – übersprungen.", *messages],
                    by_id,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            else:
                self._create_person(
                    row,
                    facts,
                    org_id,
                    [f"Trotz ID {by_id} neu angelegt.", *messages],
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            return
        match = self._find_person(facts, messages)
        if match is None:
            choice = self._choice(row, RowChoice.CREATE)
            if choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.REJECTED,
                    ["Beim Import abgewählt.", *messages],
                    None,
                    choices=_NEW_CHOICES,
                    choice=choice,
                )
                return
            self._create_person(row, facts, org_id, messages, choices=_NEW_CHOICES, choice=RowChoice.CREATE)
            return
        target, reason = match
        choice = self._choice(row, RowChoice.UPDATE if self.update else RowChoice.SKIP)
        if choice is RowChoice.CREATE:
            what = f"Nr. {target}" if isinstance(target, int) else f"Zeile {target.excel_row}"
            self._create_person(
                row,
                facts,
                org_id,
                [f"Trotz Dublette ({what}, {reason}) neu angelegt.", *messages],
                choices=_ALL_CHOICES,
                choice=choice,
            )
            return
        if isinstance(target, int):
            if choice is RowChoice.UPDATE:
                self._update_person(
                    row, target, [f"Dublette von Person Nr. {target} ({reason}).", *messages], by_id=False
                )
            else:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Dublette von Person Nr. {target} ({reason}) – nicht geändert.", *messages],
                    target,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            return
        # a person an earlier row of this file creates
        self._repeats_earlier_row(
            row,
            choice,
            target,
            messages,
            fill=lambda: self._fill_pending(target, row),
            found=f"Dublette von Zeile {target.excel_row} ({reason})",
            skipped=f"Dublette von Zeile {target.excel_row} ({reason}) – nicht übernommen.",
        )

    def _repeats_earlier_row(
        self,
        row: ParsedRow,
        choice: RowChoice,
        pending: NewOrg | NewPerson,
        messages: list[str],
        *,
        fill: Callable[[], bool],
        found: str,
        skipped: str,
    ) -> None:
        """A row that repeats a record an earlier row of this file creates: with "aktualisieren" its values
        complete that record (``fill``), otherwise the row is left out."""
        if choice is RowChoice.UPDATE:
            changed = fill()
            text = found + (" – dort ergänzt." if changed else " – nichts zu ergänzen.")
            outcome = Outcome.UPDATED if changed else Outcome.DUPLICATE
        else:
            text, outcome = skipped, Outcome.DUPLICATE
        self._row(
            row,
            outcome,
            [text, *messages],
            None,
            choices=_ALL_CHOICES,
            choice=choice,
            pending=pending,
            duplicate_of_row=pending.excel_row,
        )

    def _find_person(
        self, facts: evidence.PersonFacts, messages: list[str]
    ) -> tuple[int | NewPerson, str] | None:
        """The certain duplicate of a person row (database first, then earlier rows), by the rule table of
        ``konferenz.registry.evidence``; possible duplicates become a message naming them."""
        keys = facts.keys
        candidates: list[int] = []
        for index, key in (
            (self.ctx.by_email, keys.email),
            (self.ctx.by_name, keys.name),
            (self.ctx.by_latin, keys.latin),
        ):
            found = index.get(key) if key else None
            if found:
                candidates.extend(found)
        if keys.latin and keys.latin != keys.name:
            candidates.extend(self.ctx.by_name.get(keys.latin, ()))
        if keys.latin:
            candidates.extend(self.ctx.near(keys.latin))
        if len(candidates) > 1:
            candidates = list(dict.fromkeys(candidates))
        best: tuple[int, int | NewPerson, evidence.Verdict] | None = None
        possible: list[tuple[int, str]] = []
        for pid in candidates:
            info = self.ctx.persons[pid]
            if info.anonymised:
                continue
            verdict = evidence.assess_persons(facts, self.ctx.facts(info))
            if verdict is None:
                continue
            if verdict.certain:
                if best is None or verdict.points > best[0]:
                    best = (verdict.points, pid, verdict)
            else:
                possible.append((verdict.points, f"Person Nr. {pid} ({verdict.reason})"))
        if best is not None:
            return best[1], best[2].reason
        pending: list[NewPerson] = []
        if keys.email and keys.email in self.pending_email:
            pending.append(self.pending_email[keys.email])
        pending += self.pending_name.get(keys.name, [])
        if keys.latin != keys.name:
            pending += self.pending_name.get(keys.latin, [])
        for np in dict.fromkeys(pending):
            verdict = evidence.assess_persons(facts, np.facts)
            if verdict is None:
                continue
            if verdict.certain:
                return np, verdict.reason
            possible.append((verdict.points, f"Zeile {np.excel_row} ({verdict.reason})"))
        if possible:
            possible.sort(key=lambda p: -p[0])
            messages.append(
                "mögliche Dublette von "
                + ", ".join(dict.fromkeys(text for _, text in possible))
                + " – neu angelegt."
            )
        return None

    def _create_person(
        self,
        row: ParsedRow,
        facts: evidence.PersonFacts,
        org_id: int | None,
        messages: list[str],
        *,
        choices: tuple[RowChoice, ...],
        choice: RowChoice,
    ) -> None:
        if row.create_errors is None:
            errors = person_errors(row.person)
            row.create_errors = [errors] if errors else []
        if row.create_errors:
            self._row(row, Outcome.REJECTED, [*row.create_errors, *messages], None)
            return
        org: OrgRef = org_id
        if org_id is None and row.org_name:
            org = self._new_org(row, messages, from_person=True)
        category = self._category(row.category, messages)
        org_category: CategoryRef = None
        if isinstance(org, int):
            org_category = self.ctx.org_by_id[org].category_id
        elif isinstance(org, NewOrg):
            if org.category is None and category is not None and org.excel_row == row.excel_row:
                org.category = category
            org_category = org.category
        person_category = None if category is None or category == org_category else category
        values = row.person  # shared with the parsed row until a later row fills it (_fill_pending copies)
        municipality = self.ctx.municipality_for(
            values["postal_code"], values["country"], row.municipality, values["city"]
        )
        np = NewPerson(
            values,
            row.excel_row,
            org,
            row.role_function,
            row.role_department,
            person_category,
            municipality,
            row.tags,
            facts.keys,
            facts.orgs,
            facts,
        )
        keys = facts.keys
        self.new_persons.append(np)
        if keys.email:
            self.pending_email.setdefault(keys.email, np)
        if keys.name:
            self.pending_name.setdefault(keys.name, []).append(np)
        if keys.latin and keys.latin != keys.name:
            self.pending_name.setdefault(keys.latin, []).append(np)
        self._row(row, Outcome.CREATED, messages, None, choices=choices, choice=choice, pending=np)

    @staticmethod
    def _fill_pending(target: NewPerson, row: ParsedRow) -> bool:
        """Fill and update a person still to be created with a later row's values; True when it changed.

        The values and tags are the first row's own until now (the preview and the commit resolve the same
        parsed rows): copied before they change."""
        target.values = dict(target.values)
        target.tags = list(target.tags)
        changed = False
        for name in PERSON_VALUE_FIELDS:
            new = row.person.get(name)
            if name == "notes":
                merged = append_note(target.values["notes"], new or "")
                changed |= merged != target.values["notes"]
                target.values["notes"] = merged
            elif (name == "gender" and new is Gender.UNKNOWN) or (
                name == "legal_basis" and "legal_basis" not in row.provided
            ):
                continue
            elif new and new != target.values.get(name):
                target.values[name] = new
                changed = True
        known = {t.casefold() for t in target.tags}
        for tag in row.tags:
            if tag.casefold() not in known:
                target.tags.append(tag)
                known.add(tag.casefold())
                changed = True
        return changed

    def _update_of(self, table: Literal["person", "organisation"], record_id: int) -> Update:
        upd = self.updates.get((table, record_id))
        if upd is None:
            upd = Update(table, record_id)
            self.updates[(table, record_id)] = upd
        upd.rows.append(len(self.rows))
        return upd

    def _collect(
        self, upd: Update, row: ParsedRow, values: Mapping[str, Any], fields: Sequence[str], *, by_id: bool
    ) -> None:
        upd.by_id = upd.by_id or by_id
        for name in fields:
            if name not in values:
                continue
            value = values[name]
            if by_id:
                if name in row.provided:
                    upd.values[name] = value
            elif name == "notes":
                upd.notes_add = append_note(upd.notes_add, value or "")
            elif (name == "gender" and value is Gender.UNKNOWN) or (
                name == "legal_basis" and "legal_basis" not in row.provided
            ):
                continue
            elif value:
                upd.values[name] = value
        if (by_id and "municipality_id" in row.provided) or row.municipality:
            upd.municipality_name = row.municipality
        if row.category or (by_id and "category_id" in row.provided):
            upd.set_category = True
        if row.tags or (by_id and "tags" in row.provided):
            if by_id:
                upd.tags, upd.tags_mode = list(row.tags), "replace"
            else:
                upd.tags = list(dict.fromkeys([*upd.tags, *row.tags]))
                upd.tags_mode = upd.tags_mode or "add"

    def _update_person(self, row: ParsedRow, person_id: int, messages: list[str], *, by_id: bool) -> None:
        upd = self._update_of("person", person_id)
        self._collect(upd, row, row.person, PERSON_VALUE_FIELDS, by_id=by_id)
        if upd.set_category and (row.category or by_id):
            upd.category = self._category(row.category, messages)
        if row.org_name:
            org_id, _ = self._org_identity(row.org_name, row.role_department, person_id)
            upd.org = org_id if org_id is not None else self._new_org(row, messages, from_person=True)
            explicit_function = "role_function" in row.provided
            if row.role_function or (by_id and explicit_function):
                upd.role_function = row.role_function
            if row.role_department or (by_id and "department" in row.provided):
                upd.role_department = row.role_department
        self._row(row, Outcome.UPDATED, messages, person_id, choices=_ALL_CHOICES, choice=RowChoice.UPDATE)

    # -- organisations ----------------------------------------------------------------------------------------

    def _organisation_row(self, row: ParsedRow, messages: list[str]) -> None:
        by_id: int | None = None
        if self._record_id(row) is not None:
            assert row.record_id is not None
            info = self.ctx.org_by_id.get(row.record_id)
            if info is None:
                self._reject(
                    row,
                    f"Die Organisation Nr. {row.record_id} gibt es nicht (mehr) – sie wird nicht wieder angelegt.",
                    messages,
                )
                return
            if org_id_agrees(info, row):
                by_id = info.id
            elif "name" in row.provided and row.org_name:
                # a renamed organisation: the ID is trusted when the file is an export of this registry
                by_id = info.id
                messages.append(
                    f"Organisation Nr. {info.id} umbenannt: „{shortened(info.name)}“ → „{shortened(row.org_name)}“."
                )
        if by_id is not None:
            choice = self._choice(row, RowChoice.UPDATE)
            if choice is RowChoice.UPDATE:
                self._update_org(row, by_id, messages, by_id=True)
            elif choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Organisation Nr. {by_id} (ID) – übersprungen.", *messages],
                    by_id,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            else:
                self._create_org_row(row, [f"Trotz ID {by_id} neu angelegt.", *messages], choice, force=True)
            return
        info = self.ctx.find_org(row.org_name, str(row.organisation.get("department", "")))
        pending = self.new_orgs.get(registry_keys.organisation_name_key(row.org_name))
        if info is None and pending is None:
            choice = self._choice(row, RowChoice.CREATE)
            if choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.REJECTED,
                    ["Beim Import abgewählt.", *messages],
                    None,
                    choices=_NEW_CHOICES,
                    choice=choice,
                )
            else:
                self._create_org_row(row, messages, RowChoice.CREATE)
            return
        choice = self._choice(row, RowChoice.UPDATE if self.update else RowChoice.SKIP)
        if choice is RowChoice.CREATE:
            self._create_org_row(
                row, ["Trotz gleichnamiger Organisation neu angelegt.", *messages], choice, force=True
            )
            return
        if info is not None:
            if choice is RowChoice.UPDATE:
                self._update_org(
                    row,
                    info.id,
                    [f"Dublette von Organisation Nr. {info.id} (gleicher Name).", *messages],
                    by_id=False,
                )
            else:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Dublette von Organisation Nr. {info.id} (gleicher Name) – nicht geändert.", *messages],
                    info.id,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            return
        assert pending is not None
        new_org = pending
        self._repeats_earlier_row(
            row,
            choice,
            new_org,
            messages,
            fill=lambda: self._fill_pending_org(new_org, row, messages),
            found=f"Organisation aus Zeile {new_org.excel_row}",
            skipped=f"Dublette der Organisation aus Zeile {new_org.excel_row} – nicht übernommen.",
        )

    def _fill_pending_org(self, pending: NewOrg, row: ParsedRow, messages: list[str]) -> bool:
        changed = False
        for name, value in row.organisation.items():
            if name not in pending.values:
                continue
            if name == "notes":
                merged = append_note(pending.values["notes"], value)
                changed |= merged != pending.values["notes"]
                pending.values["notes"] = merged
            elif value and pending.values[name] != value:
                pending.values[name] = value
                changed = True
        category = self._category(row.category, messages)
        if category is not None and pending.category != category:
            pending.category = category
            changed = True
        known = {t.casefold() for t in pending.tags}
        for tag in row.tags:
            if tag.casefold() not in known:
                pending.tags.append(tag)
                known.add(tag.casefold())
                changed = True
        if changed:
            pending.municipality_id = self.ctx.municipality_for(
                pending.values["postal_code"],
                pending.values["country"],
                row.municipality,
                pending.values["city"],
            )
        return changed

    def _create_org_row(
        self, row: ParsedRow, messages: list[str], choice: RowChoice, *, force: bool = False
    ) -> None:
        org = self._new_org(row, messages, from_person=False, force=force)
        if org is None:
            self._row(row, Outcome.REJECTED, messages, None)
            return
        category = self._category(row.category, messages)
        if category is not None:
            org.category = category
        for tag in row.tags:
            if tag.casefold() not in {t.casefold() for t in org.tags}:
                org.tags.append(tag)
        choices = _ALL_CHOICES if force else _NEW_CHOICES
        self._row(row, Outcome.CREATED, messages, None, choices=choices, choice=choice, pending=org)

    def _update_org(self, row: ParsedRow, org_id: int, messages: list[str], *, by_id: bool) -> None:
        upd = self._update_of("organisation", org_id)
        self._collect(upd, row, row.organisation, ORGANISATION_VALUE_FIELDS, by_id=by_id)
        if upd.set_category and (row.category or by_id):
            upd.category = self._category(row.category, messages)
        self._row(row, Outcome.UPDATED, messages, org_id, choices=_ALL_CHOICES, choice=RowChoice.UPDATE)
