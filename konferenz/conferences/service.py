"""Conferences and their invitations: create and copy a year, invite, record replies, capacity, check-in.

Every function that writes opens its own unit of work. Inviting is safe against a second process doing the
same at the same moment: rows go in with ``INSERT … ON CONFLICT DO NOTHING`` against the unique
constraints (conference, person) and (conference, organisation without person), and ``RETURNING`` tells
which rows this call really added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import flag_modified

from konferenz import paths
from konferenz.enums import Channel, InvitationStatus, label
from konferenz.errors import ConflictError, UserError
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Category,
    Conference,
    Forum,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
    organisation_tag,
    person_tag,
)

#: statuses in which the invitee (plus companions) takes a seat
SEATED = frozenset({InvitationStatus.ACCEPTED, InvitationStatus.SUBSTITUTED, InvitationStatus.ATTENDED})
#: statuses that mean the invitee answered
REPLIED = frozenset(
    {
        InvitationStatus.ACCEPTED,
        InvitationStatus.DECLINED,
        InvitationStatus.SUBSTITUTED,
        InvitationStatus.WAITLIST,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_SHOW,
    }
)
#: statuses of an invitation that is still waiting for an answer
AWAITING = frozenset({InvitationStatus.INVITED, InvitationStatus.NO_REPLY})


# --- conferences ---------------------------------------------------------------------------------------


@dataclass
class ConferenceData:
    year: int
    title: str
    theme: str = ""
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    venue_name: str = ""
    venue_street: str = ""
    venue_postal_code: str = ""
    venue_city: str = ""
    capacity: int | None = None
    reply_deadline: dt.date | None = None
    notes: str = ""


@dataclass
class ForumData:
    title: str
    room: str = ""
    capacity: int | None = None
    moderation: str = ""
    description: str = ""


def validate_conference(data: ConferenceData) -> list[str]:
    errors = []
    if not 1990 <= data.year <= 2100:
        errors.append(f"Jahr: {data.year} ist kein sinnvolles Jahr.")
    if not data.title.strip():
        errors.append("Titel: Bitte einen Titel angeben.")
    if data.capacity is not None and data.capacity < 0:
        errors.append("Kapazität: darf nicht negativ sein.")
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        errors.append("Ende: muss nach dem Beginn liegen.")
    if data.date and data.reply_deadline and data.reply_deadline > data.date:
        errors.append("Rückmeldefrist: liegt nach dem Konferenztag.")
    return errors


def conference_id(session: Session, year: int) -> int:
    found = session.scalar(sa.select(Conference.id).where(Conference.year == year))
    if found is None:
        raise UserError(f"Es gibt keine Konferenz {year}.")
    return found


def create_conference(database: Database, data: ConferenceData, forums: Sequence[ForumData] = ()) -> int:
    errors = validate_conference(data)
    if errors:
        raise UserError(" ".join(errors))
    with database.session() as s:
        if s.scalar(sa.select(Conference.id).where(Conference.year == data.year)) is not None:
            raise UserError(f"Für {data.year} gibt es schon eine Konferenz.")
        conf = Conference(**asdict(data))
        s.add(conf)
        s.flush()
        for order, forum in enumerate(forums):
            s.add(Forum(conference_id=conf.id, sort_order=order, **asdict(forum)))
        s.flush()
        _follow_up(s, conf.id)
        return conf.id


def copy_conference(
    database: Database,
    from_year: int,
    to_year: int,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    copy_invitees: bool = False,
) -> int:
    """A new conference for ``to_year`` with last year's venue, times, capacity and forums.

    With ``copy_invitees`` everyone invited to ``from_year`` (not anonymised) is put on the new list as
    *vorgemerkt*.
    """
    with database.session() as s:
        old = s.get_one(Conference, conference_id(s, from_year))
        if s.scalar(sa.select(Conference.id).where(Conference.year == to_year)) is not None:
            raise UserError(f"Für {to_year} gibt es schon eine Konferenz.")
        new = Conference(
            year=to_year,
            title=title or old.title.replace(str(from_year), str(to_year)),
            theme="",
            date=date,
            start_time=old.start_time,
            end_time=old.end_time,
            venue_name=old.venue_name,
            venue_street=old.venue_street,
            venue_postal_code=old.venue_postal_code,
            venue_city=old.venue_city,
            capacity=old.capacity,
        )
        s.add(new)
        s.flush()
        for forum in old.forums:
            s.add(
                Forum(
                    conference_id=new.id,
                    sort_order=forum.sort_order,
                    title=forum.title,
                    room=forum.room,
                    capacity=forum.capacity,
                    moderation=forum.moderation,
                    description=forum.description,
                )
            )
        if copy_invitees:
            pairs = s.execute(
                sa.select(Invitation.person_id, Invitation.organisation_id)
                .outerjoin(Person, Person.id == Invitation.person_id)
                .where(Invitation.conference_id == old.id, Person.anonymised_at.is_(None))
            ).all()
            _insert_invitations(s, new.id, [(p, o) for p, o in pairs], paths.os_user())
        s.flush()
        _follow_up(s, new.id)
        return new.id


def _follow_up(session: Session, conf_id: int) -> None:
    """A new conference's agenda starts with the status of earlier recommendations still open."""
    from konferenz.programme.service import status_report_item

    status_report_item(session, conf_id)


# --- inviting ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteeFilter:
    """Who to invite. Empty lists mean "no restriction"; ``everyone`` must be set to invite without any."""

    everyone: bool = False
    category_ids: Sequence[int] = ()
    municipality_ids: Sequence[int] = ()
    tag_ids: Sequence[int] = ()
    person_ids: Sequence[int] = ()
    organisation_ids: Sequence[int] = ()
    #: everyone invited to this earlier year
    from_year: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.everyone
            or self.category_ids
            or self.municipality_ids
            or self.tag_ids
            or self.person_ids
            or self.organisation_ids
            or self.from_year
        )


@dataclass
class InviteResult:
    invited: int
    already: int
    invitation_ids: list[int] = field(default_factory=list)


def primary_roles() -> sa.Subquery:
    """One row per person: the organisation of the primary role (or the lowest role id)."""
    ranked = sa.select(
        Role.person_id,
        Role.organisation_id,
        sa.func.row_number()
        .over(partition_by=Role.person_id, order_by=(Role.is_primary.desc(), Role.id))
        .label("rank"),
    ).subquery()
    return (
        sa.select(ranked.c.person_id, ranked.c.organisation_id)
        .where(ranked.c.rank == 1)
        .subquery("primary_role")
    )


def invitee_candidates(session: Session, flt: InviteeFilter) -> list[tuple[int | None, int | None]]:
    """(person_id, organisation_id) pairs matching ``flt``: persons at their primary organisation and
    organisations that have no contact person."""
    if flt.is_empty:
        raise UserError("Bitte angeben, wer eingeladen werden soll (z. B. Kategorie, Kommune oder alle).")
    prim = primary_roles()
    org_of_person = aliased(Organisation)
    person_category = sa.func.coalesce(Person.category_id, org_of_person.category_id)
    person_municipality = sa.func.coalesce(Person.municipality_id, org_of_person.municipality_id)
    q = (
        sa.select(Person.id, prim.c.organisation_id)
        .outerjoin(prim, prim.c.person_id == Person.id)
        .outerjoin(org_of_person, org_of_person.id == prim.c.organisation_id)
        .where(Person.anonymised_at.is_(None))
    )
    has_roles = sa.select(Role.id).where(Role.organisation_id == Organisation.id).exists()
    oq = sa.select(sa.null(), Organisation.id)
    if not flt.organisation_ids:
        # an organisation is invited itself only when nobody there can be addressed by name
        oq = oq.where(~has_roles)
    if flt.category_ids:
        q = q.where(person_category.in_(flt.category_ids))
        oq = oq.where(Organisation.category_id.in_(flt.category_ids))
    if flt.municipality_ids:
        q = q.where(person_municipality.in_(flt.municipality_ids))
        oq = oq.where(Organisation.municipality_id.in_(flt.municipality_ids))
    if flt.tag_ids:
        q = q.where(
            sa.select(person_tag.c.person_id)
            .where(person_tag.c.person_id == Person.id, person_tag.c.tag_id.in_(flt.tag_ids))
            .exists()
        )
        oq = oq.where(
            sa.select(organisation_tag.c.organisation_id)
            .where(
                organisation_tag.c.organisation_id == Organisation.id,
                organisation_tag.c.tag_id.in_(flt.tag_ids),
            )
            .exists()
        )
    if flt.person_ids or flt.organisation_ids:
        q = q.where(Person.id.in_(flt.person_ids))
        oq = oq.where(Organisation.id.in_(flt.organisation_ids))
    if flt.from_year is not None:
        earlier = conference_id(session, flt.from_year)
        q = q.where(
            sa.select(Invitation.id)
            .where(Invitation.conference_id == earlier, Invitation.person_id == Person.id)
            .exists()
        )
        oq = oq.where(
            sa.select(Invitation.id)
            .where(
                Invitation.conference_id == earlier,
                Invitation.person_id.is_(None),
                Invitation.organisation_id == Organisation.id,
            )
            .exists()
        )
    pairs: list[tuple[int | None, int | None]] = [(p, o) for p, o in session.execute(q.order_by(Person.id))]
    pairs += [(None, o) for _n, o in session.execute(oq.order_by(Organisation.id))]
    return pairs


def _insert_invitations(
    session: Session, conf_id: int, pairs: Sequence[tuple[int | None, int | None]], entered_by: str
) -> list[int]:
    if not pairs:
        return []
    now = schema.now()
    rows = [
        {
            "conference_id": conf_id,
            "person_id": person_id,
            "organisation_id": org_id,
            "status": InvitationStatus.PLANNED.value,
            "companions": 0,
            "substitute_name": "",
            "needs_accessibility": "",
            "needs_diet": "",
            "notes": "",
            "letter_template": "",
            "entered_by": entered_by,
            "entered_at": now,
            "version": 1,
        }
        for person_id, org_id in pairs
    ]
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Invitation)
    stmt = insert.on_conflict_do_nothing().returning(Invitation.id)
    ids: list[int] = []
    for start in range(0, len(rows), 2_000):
        ids.extend(session.execute(stmt, rows[start : start + 2_000]).scalars())
    return ids


def invite(
    database: Database, year: int, flt: InviteeFilter, *, entered_by: str | None = None
) -> InviteResult:
    """Put everyone matching ``flt`` on the year's list as *vorgemerkt*; nobody is invited twice."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        pairs = invitee_candidates(s, flt)
        ids = _insert_invitations(s, conf_id, pairs, entered_by or paths.os_user())
        return InviteResult(invited=len(ids), already=len(pairs) - len(ids), invitation_ids=ids)


@dataclass
class InvitePreview:
    """What ``invite`` would do: how many match the filter and how many of them are on the list already."""

    matching: int
    already: int

    @property
    def new(self) -> int:
        return self.matching - self.already


def invite_preview(session: Session, year: int, flt: InviteeFilter) -> InvitePreview:
    """Count what ``invite(year, flt)`` would add, without writing anything."""
    conf_id = conference_id(session, year)
    pairs = invitee_candidates(session, flt)
    listed = session.execute(
        sa.select(Invitation.person_id, Invitation.organisation_id).where(Invitation.conference_id == conf_id)
    ).all()
    persons = {p for p, _o in listed if p is not None}
    organisations = {o for p, o in listed if p is None}
    already = sum(1 for p, o in pairs if (p in persons if p is not None else o in organisations))
    return InvitePreview(matching=len(pairs), already=already)


# --- replies, capacity, waiting list -------------------------------------------------------------------


@dataclass
class Reply:
    status: InvitationStatus
    channel: str | None = None
    replied_on: dt.date | None = None
    forum_id: int | None = None
    companions: int = 0
    substitute_name: str = ""
    needs_accessibility: str = ""
    needs_diet: str = ""


@dataclass
class Occupancy:
    name: str
    capacity: int | None
    booked: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.booked


def _seats(session: Session, conf_id: int, *, forum_id: int | None = None, exclude: int | None = None) -> int:
    q = sa.select(sa.func.coalesce(sa.func.sum(1 + Invitation.companions), 0)).where(
        Invitation.conference_id == conf_id, Invitation.status.in_(SEATED)
    )
    if forum_id is not None:
        q = q.where(Invitation.forum_id == forum_id)
    if exclude is not None:
        q = q.where(Invitation.id != exclude)
    return int(session.scalar(q) or 0)


def occupancy(session: Session, conf_id: int) -> list[Occupancy]:
    """The venue first, then each forum: capacity and seats taken (accepted invitees plus companions)."""
    conf = session.get_one(Conference, conf_id)
    result = [Occupancy(conf.venue_name or "Veranstaltungsort", conf.capacity, _seats(session, conf_id))]
    for forum in conf.forums:
        result.append(Occupancy(forum.title, forum.capacity, _seats(session, conf_id, forum_id=forum.id)))
    return result


def capacity_warnings(session: Session, invitation: Invitation, reply: Reply) -> list[str]:
    """German warnings if ``reply`` would overbook the venue or the chosen forum."""
    if reply.status not in SEATED:
        return []
    warnings = []
    seats = 1 + reply.companions
    conf = session.get_one(Conference, invitation.conference_id)
    if conf.capacity is not None:
        booked = _seats(session, conf.id, exclude=invitation.id)
        if booked + seats > conf.capacity:
            warnings.append(
                f"Der Veranstaltungsort ist voll: {booked} von {conf.capacity} Plätzen belegt, "
                f"diese Zusage braucht {seats}."
            )
    if reply.forum_id is not None:
        forum = session.get_one(Forum, reply.forum_id)
        if forum.capacity is not None:
            booked = _seats(session, conf.id, forum_id=forum.id, exclude=invitation.id)
            if booked + seats > forum.capacity:
                warnings.append(
                    f"Das Forum „{forum.title}“ ist voll: {booked} von {forum.capacity} Plätzen belegt, "
                    f"diese Zusage braucht {seats}."
                )
    return warnings


@dataclass
class ReplyResult:
    saved: bool
    warnings: list[str]
    #: after a cancellation: who is next on the waiting list (invitation ids, first first)
    waitlist_next: list[int] = field(default_factory=list)


def record_reply(
    database: Database,
    invitation_id: int,
    reply: Reply,
    *,
    allow_overbooking: bool = False,
    expected_version: int | None = None,
) -> ReplyResult:
    """Store a reply. If it would overbook and ``allow_overbooking`` is False, nothing is stored and the
    warnings are returned, so the window can ask and call again (or put the person on the waiting list)."""
    with database.session() as s:
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht (mehr).")
        if expected_version is not None and inv.version != expected_version:
            raise ConflictError()
        if reply.forum_id is not None:
            forum = s.get(Forum, reply.forum_id)
            if forum is None or forum.conference_id != inv.conference_id:
                raise UserError("Das gewählte Forum gehört nicht zu dieser Konferenz.")
        if reply.companions < 0:
            raise UserError("Begleitpersonen: die Zahl darf nicht negativ sein.")
        warnings = capacity_warnings(s, inv, reply)
        if warnings and not allow_overbooking:
            return ReplyResult(saved=False, warnings=warnings)
        was_seated = inv.status in SEATED
        position = None
        if reply.status is InvitationStatus.WAITLIST:
            # queried before anything changes, so the save is one UPDATE (one version step)
            last = s.scalar(
                sa.select(sa.func.max(Invitation.waitlist_position)).where(
                    Invitation.conference_id == inv.conference_id
                )
            )
            position = inv.waitlist_position or (last or 0) + 1
        inv.status = reply.status
        inv.reply_channel = Channel(reply.channel) if reply.channel else inv.reply_channel
        inv.replied_on = reply.replied_on or dt.date.today()
        inv.forum_id = reply.forum_id
        inv.companions = reply.companions
        inv.substitute_name = reply.substitute_name
        inv.needs_accessibility = reply.needs_accessibility
        inv.needs_diet = reply.needs_diet
        inv.entered_by = paths.os_user()
        inv.entered_at = schema.now()
        inv.waitlist_position = position
        s.flush()
        following = waitlist(s, inv.conference_id) if was_seated and reply.status not in SEATED else []
        return ReplyResult(saved=True, warnings=warnings, waitlist_next=following)


def set_status(database: Database, invitation_ids: Iterable[int], status: InvitationStatus) -> int:
    """Bulk status change for a selection, in one transaction. Returns the number changed."""
    ids = list(invitation_ids)
    with database.session() as s:
        invitations = s.scalars(sa.select(Invitation).where(Invitation.id.in_(ids))).all()
        if len(invitations) != len(set(ids)):
            raise UserError("Einige der gewählten Einladungen gibt es nicht mehr. Bitte die Liste neu laden.")
        changed = 0
        for inv in invitations:
            if inv.status is not status:
                inv.status = status
                inv.entered_by = paths.os_user()
                inv.entered_at = schema.now()
                if status is InvitationStatus.ATTENDED and inv.checked_in_at is None:
                    inv.checked_in_at = schema.now()
                changed += 1
        return changed


def waitlist(session: Session, conf_id: int) -> list[int]:
    """Invitation ids on the waiting list, next first."""
    return list(
        session.scalars(
            sa.select(Invitation.id)
            .where(Invitation.conference_id == conf_id, Invitation.status == InvitationStatus.WAITLIST)
            .order_by(Invitation.waitlist_position, Invitation.id)
        )
    )


def reminder_candidates(session: Session, year: int, today: dt.date | None = None) -> list[int]:
    """Invitations without a reply after the reply deadline (all awaiting ones if no deadline passed)."""
    conf = session.get_one(Conference, conference_id(session, year))
    today = today or dt.date.today()
    if conf.reply_deadline is not None and today <= conf.reply_deadline:
        return []
    return list(
        session.scalars(
            sa.select(Invitation.id)
            .where(Invitation.conference_id == conf.id, Invitation.status.in_(AWAITING))
            .order_by(Invitation.id)
        )
    )


# --- the day of the event -------------------------------------------------------------------------------


def check_in(database: Database, invitation_id: int) -> None:
    with database.session() as s:
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht (mehr).")
        inv.status = InvitationStatus.ATTENDED
        inv.checked_in_at = inv.checked_in_at or schema.now()
        inv.entered_by = paths.os_user()


def add_walk_in(database: Database, year: int, person_id: int, organisation_id: int | None = None) -> int:
    """A person who came without being on the list (or whose invitation is in another status)."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        inv = s.scalar(
            sa.select(Invitation).where(
                Invitation.conference_id == conf_id, Invitation.person_id == person_id
            )
        )
        if inv is None:
            if organisation_id is None:
                prim = primary_roles()
                organisation_id = s.scalar(
                    sa.select(prim.c.organisation_id).where(prim.c.person_id == person_id)
                )
            inv = Invitation(conference_id=conf_id, person_id=person_id, organisation_id=organisation_id)
            s.add(inv)
        inv.status = InvitationStatus.ATTENDED
        inv.checked_in_at = schema.now()
        inv.entered_by = paths.os_user()
        s.flush()
        return inv.id


def close_event(database: Database, year: int) -> int:
    """After the event: everyone still *zugesagt* (or *vertreten*) who did not check in → *nicht erschienen*."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        rows = s.scalars(
            sa.select(Invitation).where(
                Invitation.conference_id == conf_id,
                Invitation.status.in_([InvitationStatus.ACCEPTED, InvitationStatus.SUBSTITUTED]),
            )
        ).all()
        for inv in rows:
            inv.status = InvitationStatus.NO_SHOW
            inv.entered_by = paths.os_user()
            inv.entered_at = schema.now()
        return len(rows)


# --- statistics -----------------------------------------------------------------------------------------

STAT_COLUMNS = ("eingeladen", "Rückmeldung", "zugesagt", "abgesagt", "teilgenommen")
NO_CATEGORY = "ohne Kategorie"
OUTSIDE = "außerhalb des Kreises / ohne Angabe"


@dataclass
class StatRow:
    name: str
    invited: int = 0
    replied: int = 0
    accepted: int = 0
    declined: int = 0
    attended: int = 0

    def add(self, status: InvitationStatus) -> None:
        if status is not InvitationStatus.PLANNED:
            self.invited += 1
        if status in REPLIED:
            self.replied += 1
        if status in SEATED or status is InvitationStatus.NO_SHOW:
            self.accepted += 1
        if status is InvitationStatus.DECLINED:
            self.declined += 1
        if status is InvitationStatus.ATTENDED:
            self.attended += 1

    def values(self) -> tuple[int, int, int, int, int]:
        return (self.invited, self.replied, self.accepted, self.declined, self.attended)


@dataclass
class ConferenceStats:
    year: int
    title: str
    total: StatRow
    by_category: list[StatRow]
    by_municipality: list[StatRow]
    by_status: dict[str, int]
    #: share of migrant self-organisations among the invited and among those who attended (0..1)
    mso_share_invited: float
    mso_share_attended: float


def conference_stats(session: Session, year: int) -> ConferenceStats:
    """Counts of one conference: totals, by category, by municipality and by status.

    The category of an invitee is the person's own, else that of the organisation the person was invited
    for (an organisation alone: its category); the municipality likewise.
    """
    conf = session.get_one(Conference, conference_id(session, year))
    org = aliased(Organisation)
    category = sa.func.coalesce(Person.category_id, org.category_id)
    municipality = sa.func.coalesce(Person.municipality_id, org.municipality_id)
    rows = session.execute(
        sa.select(Invitation.status, category, municipality)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(org, org.id == Invitation.organisation_id)
        .where(Invitation.conference_id == conf.id)
    ).all()
    categories = {c.id: c for c in session.scalars(sa.select(Category))}
    municipalities = {m.id: m.name for m in session.scalars(sa.select(Municipality))}
    total = StatRow("Gesamt")
    by_cat: dict[str, StatRow] = {}
    by_mun: dict[str, StatRow] = {}
    by_status = {label(s): 0 for s in InvitationStatus}
    mso_invited = mso_attended = 0
    for status, cat_id, mun_id in rows:
        total.add(status)
        by_status[label(status)] += 1
        cat = categories.get(cat_id) if cat_id is not None else None
        cat_name = cat.name if cat else NO_CATEGORY
        by_cat.setdefault(cat_name, StatRow(cat_name)).add(status)
        mun_name = municipalities.get(mun_id, OUTSIDE) if mun_id is not None else OUTSIDE
        by_mun.setdefault(mun_name, StatRow(mun_name)).add(status)
        if cat is not None and cat.is_migrant_organisation:
            mso_invited += status is not InvitationStatus.PLANNED
            mso_attended += status is InvitationStatus.ATTENDED
    order = {c.name: c.sort_order for c in categories.values()}
    return ConferenceStats(
        year=conf.year,
        title=conf.title,
        total=total,
        by_category=sorted(by_cat.values(), key=lambda r: (order.get(r.name, 999), r.name)),
        by_municipality=sorted(by_mun.values(), key=lambda r: (r.name == OUTSIDE, r.name)),
        by_status=by_status,
        mso_share_invited=mso_invited / total.invited if total.invited else 0.0,
        mso_share_attended=mso_attended / total.attended if total.attended else 0.0,
    )


def all_years_stats(session: Session) -> list[ConferenceStats]:
    years = session.scalars(sa.select(Conference.year).order_by(Conference.year)).all()
    return [conference_stats(session, y) for y in years]


# --- editing a conference and its forums ------------------------------------------------------------------


@dataclass
class ForumRecord:
    """A stored forum with its id and how many invitees chose it."""

    id: int
    data: ForumData
    #: invitations that chose this forum (any status)
    bookings: int = 0


@dataclass
class ConferenceRecord:
    """A stored conference: its data, forums (in order) and version (for optimistic locking)."""

    id: int
    version: int
    data: ConferenceData
    forums: list[ForumRecord]


def _conference_data(conf: Conference) -> ConferenceData:
    return ConferenceData(
        year=conf.year,
        title=conf.title,
        theme=conf.theme,
        date=conf.date,
        start_time=conf.start_time,
        end_time=conf.end_time,
        venue_name=conf.venue_name,
        venue_street=conf.venue_street,
        venue_postal_code=conf.venue_postal_code,
        venue_city=conf.venue_city,
        capacity=conf.capacity,
        reply_deadline=conf.reply_deadline,
        notes=conf.notes,
    )


def _forum_data(forum: Forum) -> ForumData:
    return ForumData(
        title=forum.title,
        room=forum.room,
        capacity=forum.capacity,
        moderation=forum.moderation,
        description=forum.description,
    )


def validate_forum(data: ForumData) -> list[str]:
    errors = []
    if not data.title.strip():
        errors.append("Forum: Bitte einen Titel angeben.")
    if data.capacity is not None and data.capacity < 0:
        errors.append(f"Forum „{data.title.strip()}“: Kapazität darf nicht negativ sein.")
    return errors


def _forum_bookings(session: Session, forum_ids: Sequence[int]) -> dict[int, int]:
    if not forum_ids:
        return {}
    rows = session.execute(
        sa.select(Invitation.forum_id, sa.func.count(Invitation.id))
        .where(Invitation.forum_id.in_(forum_ids))
        .group_by(Invitation.forum_id)
    )
    return {fid: int(n) for fid, n in rows if fid is not None}


def get_conference(database: Database, conf_id: int) -> ConferenceRecord:
    with database.read_session() as s:
        conf = s.get(Conference, conf_id)
        if conf is None:
            raise UserError(f"Die Konferenz Nr. {conf_id} gibt es nicht (mehr).")
        bookings = _forum_bookings(s, [f.id for f in conf.forums])
        return ConferenceRecord(
            id=conf.id,
            version=conf.version,
            data=_conference_data(conf),
            forums=[ForumRecord(f.id, _forum_data(f), bookings.get(f.id, 0)) for f in conf.forums],
        )


def _apply_forum(forum: Forum, data: ForumData) -> None:
    forum.title = data.title.strip()
    forum.room = data.room.strip()
    forum.capacity = data.capacity
    forum.moderation = data.moderation.strip()
    forum.description = data.description


def update_conference(
    database: Database,
    conference_id: int,
    data: ConferenceData,
    expected_version: int | None,
    *,
    forums: Sequence[tuple[int | None, ForumData]] | None = None,
) -> int:
    """Save changed fields of a conference; returns the new version.

    With ``forums`` the conference's forums become exactly that list, in that order, in the same unit of
    work: ``(forum_id, data)`` updates a forum, ``(None, data)`` adds one, and forums not in the list are
    deleted (invitations that chose them keep their status, without a forum).
    Raises ``ConflictError`` when ``expected_version`` is given and someone else saved meanwhile.
    """
    errors = validate_conference(data)
    for _fid, forum_data in forums or ():
        errors += validate_forum(forum_data)
    if errors:
        raise UserError(" ".join(errors))
    with database.session() as s:
        conf = s.get(Conference, conference_id)
        if conf is None:
            raise UserError(f"Die Konferenz Nr. {conference_id} gibt es nicht (mehr).")
        if expected_version is not None and conf.version != expected_version:
            raise ConflictError(
                f"Die Konferenz {conf.year} wurde inzwischen an einem anderen Arbeitsplatz geändert. Es "
                "wurde nichts gespeichert; bitte neu öffnen und die Änderung noch einmal eintragen.",
                current=_conference_data(conf),
            )
        if data.year != conf.year and (
            s.scalar(sa.select(Conference.id).where(Conference.year == data.year, Conference.id != conf.id))
            is not None
        ):
            raise UserError(f"Für {data.year} gibt es schon eine Konferenz.")
        changed = _conference_data(conf) != data
        for name, value in asdict(data).items():
            setattr(conf, name, value)
        if forums is not None:
            existing = {f.id: f for f in conf.forums}
            wanted = [fid for fid, _d in forums if fid is not None]
            unknown = set(wanted) - set(existing)
            if unknown:
                raise UserError("Ein Forum gehört nicht (mehr) zu dieser Konferenz. Bitte neu öffnen.")
            for gone_id, gone in existing.items():
                if gone_id not in wanted:
                    for inv in s.scalars(sa.select(Invitation).where(Invitation.forum_id == gone_id)):
                        inv.forum_id = None
                    s.delete(gone)
                    changed = True
            for order, (fid, wanted_data) in enumerate(forums):
                row = existing[fid] if fid is not None else Forum(conference_id=conf.id)
                before = (_forum_data(row), row.sort_order) if fid is not None else None
                _apply_forum(row, wanted_data)
                row.sort_order = order
                if fid is None:
                    s.add(row)
                if before != (_forum_data(row), row.sort_order):
                    changed = True
        if changed:
            # forums have no version of their own: a forum change counts as a change of the conference
            conf.updated_at = schema.now()
            flag_modified(conf, "updated_at")  # an UPDATE (and a new version) even within the same second
        s.flush()
        return conf.version


def add_forum(database: Database, conference_id: int, data: ForumData) -> int:
    """Append a forum to a conference; returns its id."""
    errors = validate_forum(data)
    if errors:
        raise UserError(" ".join(errors))
    with database.session() as s:
        if s.get(Conference, conference_id) is None:
            raise UserError(f"Die Konferenz Nr. {conference_id} gibt es nicht (mehr).")
        last = s.scalar(sa.select(sa.func.max(Forum.sort_order)).where(Forum.conference_id == conference_id))
        forum = Forum(conference_id=conference_id, sort_order=(last if last is not None else -1) + 1)
        _apply_forum(forum, data)
        s.add(forum)
        s.flush()
        return forum.id


def update_forum(database: Database, forum_id: int, data: ForumData) -> None:
    errors = validate_forum(data)
    if errors:
        raise UserError(" ".join(errors))
    with database.session() as s:
        forum = s.get(Forum, forum_id)
        if forum is None:
            raise UserError(f"Das Forum Nr. {forum_id} gibt es nicht (mehr).")
        _apply_forum(forum, data)


def delete_forum(database: Database, forum_id: int) -> int:
    """Delete a forum; invitations that chose it keep their status without a forum. Returns how many."""
    with database.session() as s:
        forum = s.get(Forum, forum_id)
        if forum is None:
            raise UserError(f"Das Forum Nr. {forum_id} gibt es nicht (mehr).")
        affected = s.scalars(sa.select(Invitation).where(Invitation.forum_id == forum_id)).all()
        for inv in affected:
            inv.forum_id = None
        s.delete(forum)
        return len(affected)


# --- replies: bulk capacity check, waiting list, substitutes, undo ------------------------------------------


def status_change_warnings(
    session: Session, invitation_ids: Sequence[int], status: InvitationStatus
) -> list[str]:
    """German warnings if giving all of ``invitation_ids`` the seated ``status`` would overbook the venue
    or a forum (the bulk counterpart of ``capacity_warnings``)."""
    if status not in SEATED or not invitation_ids:
        return []
    rows = session.execute(
        sa.select(Invitation.conference_id, Invitation.forum_id, Invitation.companions).where(
            Invitation.id.in_(invitation_ids), Invitation.status.not_in(SEATED)
        )
    ).all()
    if not rows:
        return []
    conf_id = rows[0][0]
    conf = session.get_one(Conference, conf_id)
    warnings = []
    needed = sum(1 + companions for _c, _f, companions in rows)
    if conf.capacity is not None:
        booked = _seats(session, conf_id)
        if booked + needed > conf.capacity:
            warnings.append(
                f"Der Veranstaltungsort ist voll: {booked} von {conf.capacity} Plätzen belegt, "
                f"diese Zusagen brauchen {needed}."
            )
    per_forum: dict[int, int] = {}
    for _c, forum_id, companions in rows:
        if forum_id is not None:
            per_forum[forum_id] = per_forum.get(forum_id, 0) + 1 + companions
    for forum in conf.forums:
        if forum.id in per_forum and forum.capacity is not None:
            booked = _seats(session, conf_id, forum_id=forum.id)
            if booked + per_forum[forum.id] > forum.capacity:
                warnings.append(
                    f"Das Forum „{forum.title}“ ist voll: {booked} von {forum.capacity} Plätzen belegt, "
                    f"diese Zusagen brauchen {per_forum[forum.id]}."
                )
    return warnings


def put_on_waitlist(database: Database, invitation_ids: Sequence[int]) -> int:
    """Put a selection on the waiting list, behind those already waiting, in the given order.

    Invitations already waiting keep their place. Returns the number changed."""
    ids = list(dict.fromkeys(invitation_ids))
    with database.session() as s:
        invitations = {i.id: i for i in s.scalars(sa.select(Invitation).where(Invitation.id.in_(ids)))}
        if len(invitations) != len(ids):
            raise UserError("Einige der gewählten Einladungen gibt es nicht mehr. Bitte die Liste neu laden.")
        last: dict[int, int] = {}
        changed = 0
        for inv_id in ids:
            inv = invitations[inv_id]
            if inv.status is InvitationStatus.WAITLIST:
                continue
            if inv.conference_id not in last:
                last[inv.conference_id] = (
                    s.scalar(
                        sa.select(sa.func.max(Invitation.waitlist_position)).where(
                            Invitation.conference_id == inv.conference_id
                        )
                    )
                    or 0
                )
            last[inv.conference_id] += 1
            inv.status = InvitationStatus.WAITLIST
            inv.waitlist_position = last[inv.conference_id]
            inv.entered_by = paths.os_user()
            inv.entered_at = schema.now()
            changed += 1
        return changed


def link_substitute(database: Database, invitation_id: int, person_id: int | None) -> None:
    """Record that the substitute ("vertreten durch") is the registry person ``person_id`` (None: unlink)."""
    with database.session() as s:
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht (mehr).")
        if person_id is not None and s.get(Person, person_id) is None:
            raise UserError(f"Die Person Nr. {person_id} gibt es nicht (mehr).")
        inv.substitute_person_id = person_id


#: the fields of an invitation a reply or status change writes; ``ReplyState`` keeps them for undo
REPLY_FIELDS: tuple[str, ...] = (
    "status",
    "reply_channel",
    "replied_on",
    "forum_id",
    "companions",
    "substitute_name",
    "substitute_person_id",
    "needs_accessibility",
    "needs_diet",
    "waitlist_position",
    "checked_in_at",
    "entered_by",
    "entered_at",
)


@dataclass(frozen=True)
class ReplyState:
    """What a reply or status change may alter on one invitation, to restore it (undo, redo)."""

    invitation_id: int
    version: int
    values: tuple[object, ...]

    @property
    def status(self) -> InvitationStatus:
        value = self.values[0]
        assert isinstance(value, InvitationStatus)
        return value


def reply_states(session: Session, invitation_ids: Sequence[int]) -> list[ReplyState]:
    """The current reply fields of ``invitation_ids`` (in the given order; unknown ids are left out)."""
    by_id = {
        inv.id: inv for inv in session.scalars(sa.select(Invitation).where(Invitation.id.in_(invitation_ids)))
    }
    return [
        ReplyState(i, by_id[i].version, tuple(getattr(by_id[i], name) for name in REPLY_FIELDS))
        for i in dict.fromkeys(invitation_ids)
        if i in by_id
    ]


def capture_reply_states(database: Database, invitation_ids: Sequence[int]) -> list[ReplyState]:
    with database.read_session() as s:
        return reply_states(s, invitation_ids)


def restore_reply_states(
    database: Database, states: Sequence[ReplyState], expected: Sequence[ReplyState] | None = None
) -> list[ReplyState]:
    """Write the reply fields of ``states`` back (undo or redo of a reply or status change).

    ``expected`` are the states the invitations must still be in (for an undo: the states right after the
    change); if the reply fields of any of them differ (someone else changed it meanwhile),
    ``ConflictError`` is raised and nothing is written. Only the reply fields are compared, so an unrelated
    edit (a note, a letter sent) does not block the undo. Returns the states as now stored."""
    wanted = {st.invitation_id: st.values for st in expected or ()}
    with database.session() as s:
        ids = [st.invitation_id for st in states]
        by_id = {inv.id: inv for inv in s.scalars(sa.select(Invitation).where(Invitation.id.in_(ids)))}
        for st in states:
            inv = by_id.get(st.invitation_id)
            if inv is None:
                raise UserError(f"Die Einladung {st.invitation_id} gibt es nicht (mehr).")
            if inv.id in wanted and tuple(getattr(inv, n) for n in REPLY_FIELDS) != wanted[inv.id]:
                raise ConflictError()
        for st in states:
            inv = by_id[st.invitation_id]
            for name, value in zip(REPLY_FIELDS, st.values, strict=True):
                setattr(inv, name, value)
        s.flush()
        return reply_states(s, ids)
