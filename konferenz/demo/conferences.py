"""The demo's conferences: agenda, forums and the persons on the agenda, invitations with replies and
check-ins, the minutes of held conferences and their recommendations followed up over the years.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from konferenz.demo.state import ConferenceIds, DemoRun
from konferenz.demo.world import (
    ACCESSIBILITY,
    COMMUNITY,
    CONFERENCES,
    DEMO_TODAY,
    DIET_WEIGHTS,
    DIETS,
    INVITATION_NOTES,
    STAFF_USERS,
    ConferenceDef,
    feminine,
)
from konferenz.enums import AgendaItemType, Channel, InvitationStatus, RecommendationStatus
from konferenz.storage.schema import checkin_token

#: how often each status comes up at a held conference and at the conference in planning
_HELD_WEIGHTS = {
    InvitationStatus.ATTENDED: 48,
    InvitationStatus.NO_SHOW: 5,
    InvitationStatus.DECLINED: 20,
    InvitationStatus.SUBSTITUTED: 5,
    InvitationStatus.NO_REPLY: 20,
    InvitationStatus.WAITLIST: 2,
}
_PLANNING_WEIGHTS = {
    InvitationStatus.PLANNED: 10,
    InvitationStatus.INVITED: 38,
    InvitationStatus.ACCEPTED: 27,
    InvitationStatus.DECLINED: 12,
    InvitationStatus.NO_REPLY: 5,
    InvitationStatus.SUBSTITUTED: 3,
    InvitationStatus.WAITLIST: 2,
}
#: every conference of that kind shows each of its statuses at least once, so every status is in the demo
_HELD_FORCED = tuple(_HELD_WEIGHTS)
_PLANNING_FORCED = tuple(_PLANNING_WEIGHTS)
#: where the names of substitutes come from
_SUBSTITUTE_COMMUNITIES = tuple(
    COMMUNITY[name] for name in ("german", "german", "turkish", "arabic", "polish")
)


class ConferenceParts(DemoRun):
    """Writes the conferences; needs the registry written first (``orgs``, ``showcase_ids`` …)."""

    def build_conference(self, conf: ConferenceDef) -> None:
        rng = self.rng(f"conference-{conf.year}")
        conference_id = self.new_id("conference")
        created = dt.datetime.combine(conf.date - dt.timedelta(days=200), dt.time(9, 30))
        updated = (
            dt.datetime.combine(conf.date + dt.timedelta(days=30), dt.time(11, 0))
            if conf.held
            else dt.datetime(2026, 10, 30, 15, 12)
        )

        # agenda
        items: list[tuple[AgendaItemType, int, str, str, str]] = [
            (
                AgendaItemType.WELCOME,
                20,
                "Begrüßung",
                "Landrat des Kreises Borken; Katrin Müller, Leiterin des KI",
                "",
            ),
        ]
        if conf.year > CONFERENCES[0].year:
            items.append(
                (
                    AgendaItemType.STATUS_REPORT,
                    25,
                    f"Sachstand der Empfehlungen aus {conf.year - 1}",
                    "Katrin Müller, Kommunales Integrationszentrum",
                    "Was ist aus den Empfehlungen der letzten Konferenz geworden?",
                )
            )
        items += [
            (AgendaItemType.TALK, 45, conf.keynote.title, conf.keynote.speakers, ""),
            (AgendaItemType.BREAK, 15, "Kaffeepause", "", ""),
            (
                AgendaItemType.FORUM_PHASE,
                90,
                "Forenphase: Arbeit in parallelen Foren",
                "",
                f"{len(conf.forums)} Foren parallel, Räume siehe Aushang",
            ),
            (AgendaItemType.BREAK, 45, "Mittagspause mit Imbiss", "", ""),
            (AgendaItemType.RESULTS, 40, "Ergebnisse aus den Foren", "Moderationen der Foren", ""),
            (AgendaItemType.PANEL, 50, conf.panel.title, conf.panel.speakers, ""),
            (
                AgendaItemType.CLOSING,
                15,
                "Ausblick und Verabschiedung",
                "Katrin Müller, Kommunales Integrationszentrum",
                "",
            ),
        ]
        start = dt.datetime.combine(conf.date, dt.time(9, 0))
        clock = start
        agenda_rows: list[dict[str, Any]] = []
        agenda_ids: dict[AgendaItemType, int] = {}
        for position, (item_type, minutes, title, speakers, description) in enumerate(items, start=1):
            item_id = self.new_id("agenda_item")
            agenda_ids.setdefault(item_type, item_id)
            internal = ""
            if not conf.held and item_type is AgendaItemType.TALK:
                internal = "Referentin der Universität Münster angefragt, Zusage steht aus"
            agenda_rows.append(
                {
                    "id": item_id,
                    "conference_id": conference_id,
                    "position": position,
                    "start_time": clock.time(),
                    "duration_minutes": minutes,
                    "title": title,
                    "item_type": item_type,
                    "description": description,
                    "speakers": speakers,
                    "moderation": "Katrin Müller (KI)" if item_type is AgendaItemType.PANEL else "",
                    "room": "" if item_type is AgendaItemType.FORUM_PHASE else conf.plenary_room,
                    "responsible_staff": rng.choice(STAFF_USERS),
                    "internal_notes": internal,
                }
            )
            clock += dt.timedelta(minutes=minutes)
        end = clock
        self.insert(
            "conference",
            [
                {
                    "id": conference_id,
                    "year": conf.year,
                    "title": f"Integrationskonferenz {conf.year}",
                    "theme": conf.theme,
                    "date": conf.date,
                    "start_time": start.time(),
                    "end_time": end.time(),
                    "venue_name": conf.venue.name,
                    "venue_street": conf.venue.street,
                    "venue_postal_code": conf.venue.postal_code,
                    "venue_city": conf.venue.city,
                    "capacity": conf.capacity,
                    "reply_deadline": conf.reply_deadline,
                    "notes": conf.notes,
                    "version": 1,
                    "created_at": created,
                    "updated_at": updated,
                }
            ],
        )
        self.insert("agenda_item", agenda_rows)
        self.summary.conferences += 1
        self.summary.agenda_items += len(agenda_rows)

        # forums during the Forenphase
        forum_rows = []
        forum_ids = []
        for order, forum in enumerate(conf.forums, start=1):
            forum_id = self.new_id("forum")
            forum_ids.append(forum_id)
            forum_rows.append(
                {
                    "id": forum_id,
                    "conference_id": conference_id,
                    "agenda_item_id": agenda_ids[AgendaItemType.FORUM_PHASE],
                    "sort_order": order,
                    "title": forum.title,
                    "description": forum.description,
                    "room": forum.room,
                    "capacity": forum.capacity,
                    "moderation": forum.moderation,
                }
            )
        self.insert("forum", forum_rows)
        self.summary.forums += len(forum_rows)

        # registry persons on the agenda
        agenda_person_rows = []
        links = [(AgendaItemType.TALK, key, "speaker") for key in conf.keynote.persons]
        links += [(AgendaItemType.PANEL, key, "speaker") for key in conf.panel.persons]
        links += [
            (AgendaItemType.WELCOME, "mueller", "speaker"),
            (AgendaItemType.PANEL, "mueller", "moderation"),
        ]
        for item_type, key, part in links:
            if key in self.showcase_ids:
                agenda_person_rows.append(
                    {
                        "id": self.new_id("agenda_person"),
                        "agenda_item_id": agenda_ids[item_type],
                        "person_id": self.showcase_ids[key],
                        "part": part,
                    }
                )
        self.insert("agenda_person", agenda_person_rows)
        self.summary.agenda_persons += len(agenda_person_rows)

        ids = ConferenceIds(conference_id, agenda_ids, forum_ids)
        self.conference_ids[conf.year] = ids
        attendance = self.build_invitations(rng, conf, ids)
        if conf.held:
            self.build_minutes(rng, conf, ids, attendance)

    def choose_invitees(self, rng: random.Random, conf: ConferenceDef) -> list[tuple[int | None, int | None]]:
        """(person id, organisation id) of everyone invited; organisations without a person at the end."""
        n = self.n
        first_id = self.first_person_id
        # small demos: a growing share of the registry, large ones: a realistic number per conference
        share = 0.6 + 0.05 * (conf.year - CONFERENCES[0].year)
        target = min(int(n * share), conf.invite_target)
        chosen: list[int] = []
        seen: set[int] = set()

        def ok(index: int) -> bool:
            person_id = first_id + index
            if index in seen:
                return False
            return conf.held or person_id not in self.not_invitable

        # the regulars (municipal contacts, named persons, early registry entries) come almost every year
        for index in range(min(n, 150)):
            if len(chosen) >= target:
                break
            if self.primary_org[index] is not None and rng.random() < 0.85 and ok(index):
                seen.add(index)
                chosen.append(index)
        attempts = 0
        while len(chosen) < target and attempts < target * 30:
            attempts += 1
            index = rng.randrange(n)
            if ok(index):
                seen.add(index)
                chosen.append(index)
        invitees: list[tuple[int | None, int | None]] = [
            (first_id + index, self.primary_org[index]) for index in chosen
        ]
        # some organisations are invited as such, without a contact person
        org_ids = [org.id for org in self.orgs]
        count = len(org_ids) if n == 0 else min(len(org_ids), 8)
        invitees += [(None, org_id) for org_id in sorted(rng.sample(org_ids, count))]
        return invitees

    def build_invitations(
        self, rng: random.Random, conf: ConferenceDef, ids: ConferenceIds
    ) -> dict[int | None, int]:
        """Write the invitations; returns the number of attendees per forum id (None: no forum chosen)."""
        invitees = self.choose_invitees(rng, conf)
        rng.shuffle(invitees)
        tokens = self.rng(f"checkin-tokens-{conf.year}")  # its own stream: the other data stay as they were
        forced = list(_HELD_FORCED if conf.held else _PLANNING_FORCED)
        weights = _HELD_WEIGHTS if conf.held else _PLANNING_WEIGHTS
        statuses = list(weights)
        status_weights = list(weights.values())
        seats = conf.capacity
        forum_left = {
            forum_id: forum.capacity for forum_id, forum in zip(ids.forums, conf.forums, strict=True)
        }
        attendance: dict[int | None, int] = {}
        if conf.held:
            invite_date = conf.date - dt.timedelta(days=56)
            last_reply = conf.reply_deadline + dt.timedelta(days=6)
        else:
            invite_date = dt.date(2026, 10, 5)
            last_reply = DEMO_TODAY - dt.timedelta(days=1)
        reminder_date = conf.reply_deadline - dt.timedelta(days=7) if conf.held else dt.date(2026, 10, 26)
        rows: list[dict[str, Any]] = []
        waitlist: list[dict[str, Any]] = []
        for number, (person_id, org_id) in enumerate(invitees):
            status = forced[number] if number < len(forced) else rng.choices(statuses, status_weights)[0]
            companions = 0
            if status in InvitationStatus.said_yes() or status is InvitationStatus.WAITLIST:
                r = rng.random()
                companions = 2 if r < 0.02 else (1 if r < 0.12 else 0)
            if status in InvitationStatus.said_yes() and number >= len(forced):
                if seats < 1 + companions:
                    status = InvitationStatus.WAITLIST
                else:
                    seats -= 1 + companions
            invited = status is not InvitationStatus.PLANNED
            invited_on = None
            channel = None
            if invited:
                channel = rng.choices((Channel.EMAIL, Channel.POST, Channel.IN_PERSON), (55, 40, 5))[0]
                late = rng.random() < 0.1
                invited_on = invite_date + dt.timedelta(
                    days=rng.randrange(14, 22) if late else rng.randrange(0, 3)
                )
            replied_on = None
            reply_channel = None
            reminded_on = None
            if status in InvitationStatus.replied() and invited_on is not None:
                span = max(1, (last_reply - invited_on).days - 1)
                replied_on = invited_on + dt.timedelta(days=1 + rng.randrange(span))
                reply_channel = rng.choices(
                    (Channel.EMAIL, Channel.PHONE, Channel.POST, Channel.IN_PERSON), (55, 25, 12, 8)
                )[0]
                if replied_on > reminder_date and invited_on < reminder_date and rng.random() < 0.5:
                    reminded_on = reminder_date
            elif (
                status is InvitationStatus.NO_REPLY and invited_on is not None and invited_on < reminder_date
            ):
                reminded_on = reminder_date
            substitute_name = ""
            substitute_person_id = None
            if status is InvitationStatus.SUBSTITUTED:
                community = rng.choice(_SUBSTITUTE_COMMUNITIES)
                female = rng.random() < 0.5
                first = rng.choice(community.female if female else community.male)
                last = rng.choice(community.last)
                if female and community.feminine:
                    last = feminine(last, community.feminine)
                substitute_name = f"{first} {last}"
                if self.n > 1 and rng.random() < 0.25:
                    candidate = self.first_person_id + rng.randrange(self.n)
                    if candidate != person_id:
                        substitute_person_id = candidate
            forum_id = None
            coming = status in InvitationStatus.said_yes() or status is InvitationStatus.WAITLIST
            if coming and status is not InvitationStatus.WAITLIST and ids.forums and rng.random() < 0.85:
                open_forums = [f for f in ids.forums if forum_left[f] > 0]
                if open_forums:
                    forum_id = rng.choice(open_forums)
                    forum_left[forum_id] -= 1
            needs_accessibility = rng.choice(ACCESSIBILITY) if coming and rng.random() < 0.025 else ""
            needs_diet = rng.choices(DIETS, DIET_WEIGHTS)[0] if coming and rng.random() < 0.3 else ""
            checked_in_at = None
            if conf.held and status in (InvitationStatus.ATTENDED, InvitationStatus.SUBSTITUTED):
                checked_in_at = dt.datetime.combine(conf.date, dt.time(8, 30)) + dt.timedelta(
                    minutes=rng.randrange(0, 75), seconds=rng.randrange(0, 60)
                )
                attendance[forum_id] = attendance.get(forum_id, 0) + 1
            entered = dt.datetime.combine(
                conf.date - dt.timedelta(days=100 - rng.randrange(0, 30)), dt.time(8, 0)
            ) + dt.timedelta(minutes=rng.randrange(0, 480))
            if not conf.held and not invited:
                entered = dt.datetime.combine(dt.date(2026, 9, 15), dt.time(8, 0)) + dt.timedelta(
                    days=rng.randrange(0, 45), minutes=rng.randrange(0, 480)
                )
            template = ""
            if channel is Channel.POST:
                template = "einladung_brief"
            elif channel is Channel.EMAIL:
                template = "einladung_email"
            row = {
                "id": self.new_id("invitation"),
                "conference_id": ids.conference_id,
                "person_id": person_id,
                "organisation_id": org_id,
                "status": status,
                "invitation_channel": channel,
                "invited_on": invited_on,
                "reply_channel": reply_channel,
                "replied_on": replied_on,
                "reminded_on": reminded_on,
                "substitute_name": substitute_name,
                "substitute_person_id": substitute_person_id,
                "companions": companions,
                "forum_id": forum_id,
                "needs_accessibility": needs_accessibility,
                "needs_diet": needs_diet,
                "notes": rng.choice(INVITATION_NOTES) if coming and rng.random() < 0.04 else "",
                "waitlist_position": None,
                "checked_in_at": checked_in_at,
                "checkin_token": checkin_token(tokens.choice),
                "letter_template": template,
                "entered_by": rng.choice(STAFF_USERS),
                "entered_at": entered,
                "version": 1,
            }
            rows.append(row)
            if status is InvitationStatus.WAITLIST:
                waitlist.append(row)
        waitlist.sort(key=lambda r: (r["replied_on"] or dt.date.max, r["id"]))
        for position, row in enumerate(waitlist, start=1):
            row["waitlist_position"] = position
        self.insert("invitation", rows)
        self.summary.invitations += len(rows)
        return attendance

    def build_minutes(
        self,
        rng: random.Random,
        conf: ConferenceDef,
        ids: ConferenceIds,
        attendance: dict[int | None, int],
    ) -> None:
        written = dt.datetime.combine(conf.date + dt.timedelta(days=3), dt.time(10, 0))
        total = sum(attendance.values())
        previous = [c for c in CONFERENCES if c.year == conf.year - 1]
        texts: dict[AgendaItemType, tuple[str, str]] = {
            AgendaItemType.WELCOME: (
                f"Begrüßung von {total} Teilnehmenden; Hinweis auf Fotos und Teilnehmerliste.",
                "",
            ),
            AgendaItemType.TALK: (
                "Vortrag mit anschließender Diskussion; die Folien stehen in der Dokumentation.",
                "Die Thesen des Vortrags werden in den Foren aufgegriffen.",
            ),
            AgendaItemType.FORUM_PHASE: (f"Arbeit in {len(conf.forums)} parallelen Foren.", ""),
            AgendaItemType.RESULTS: (
                "Die Moderationen stellen die Ergebnisse der Foren vor.",
                "Die Empfehlungen werden vom KI dokumentiert und nachverfolgt.",
            ),
            AgendaItemType.PANEL: ("Lebhafte Diskussion mit Fragen aus dem Publikum.", ""),
            AgendaItemType.CLOSING: (f"Ausblick auf die Integrationskonferenz {conf.year + 1}.", ""),
        }
        if previous:
            count = len(previous[0].recommendations)
            texts[AgendaItemType.STATUS_REPORT] = (
                f"Bericht über den Stand der {count} Empfehlungen aus {conf.year - 1}.",
                "Offene Empfehlungen werden weiter verfolgt.",
            )
        rows = []
        for item_type, (notes, results) in sorted(texts.items(), key=lambda entry: ids.agenda[entry[0]]):
            minutes_id = self.new_id("minutes_entry")
            item_id = ids.agenda[item_type]
            ids.minutes_by_item[item_id] = minutes_id
            rows.append(
                {
                    "id": minutes_id,
                    "conference_id": ids.conference_id,
                    "agenda_item_id": item_id,
                    "forum_id": None,
                    "notes": notes,
                    "results": results,
                    "rapporteur": rng.choice(
                        ("Katrin Müller (KI)", "Birgit Schulte (KI)", "Jan Hoffmann (KI)")
                    ),
                    "created_at": written,
                    "updated_at": written + dt.timedelta(days=rng.randrange(0, 10)),
                }
            )
        for index, (forum_id, forum) in enumerate(zip(ids.forums, conf.forums, strict=True)):
            minutes_id = self.new_id("minutes_entry")
            ids.minutes_by_forum[forum_id] = minutes_id
            recs = [r.text for r in conf.recommendations if r.forum == index]
            results = forum.results
            if recs:
                results += "\nEmpfehlungen:\n" + "\n".join(f"• {text}" for text in recs)
            rows.append(
                {
                    "id": minutes_id,
                    "conference_id": ids.conference_id,
                    "agenda_item_id": None,
                    "forum_id": forum_id,
                    "notes": f"{attendance.get(forum_id, 0)} Teilnehmende. {forum.notes}",
                    "results": results,
                    "rapporteur": forum.moderation,
                    "created_at": written,
                    "updated_at": written + dt.timedelta(days=rng.randrange(0, 10)),
                }
            )
        self.insert("minutes_entry", rows)
        self.summary.minutes_entries += len(rows)

    def build_recommendations(self, rng: random.Random, conf: ConferenceDef) -> None:
        ids = self.conference_ids[conf.year]
        rec_rows = []
        update_rows = []
        later = [c for c in CONFERENCES if c.held and c.year > conf.year]
        for rec in conf.recommendations:
            rec_id = self.new_id("recommendation")
            forum_id = ids.forums[rec.forum] if rec.forum is not None else None
            agenda_item_id = ids.agenda[AgendaItemType.PANEL] if forum_id is None else None
            if forum_id is not None:
                minutes_id = ids.minutes_by_forum.get(forum_id)
            else:
                minutes_id = ids.minutes_by_item.get(ids.agenda[AgendaItemType.PANEL])
            org = self.org_by_key.get(rec.organisation) if rec.organisation else None
            person_id = self.first_person_of_org.get(org.id) if org is not None else None
            if person_id is not None and rng.random() < 0.4:
                person_id = None
            history: list[tuple[dt.date, RecommendationStatus, str, int | None]] = [
                (
                    conf.date + dt.timedelta(days=14),
                    RecommendationStatus.OPEN,
                    "Empfehlung in die Ergebnisdokumentation aufgenommen",
                    None,
                )
            ]
            history += [(date, status, note, None) for date, status, note in rec.updates]
            # reported on in the "Sachstand" item of each later conference while still open
            for other in later:
                before = [h for h in history if h[0] <= other.date]
                current = before[-1][1] if before else RecommendationStatus.OPEN
                if current in (RecommendationStatus.DONE, RecommendationStatus.REJECTED):
                    continue
                other_ids = self.conference_ids[other.year]
                report_minutes = other_ids.minutes_by_item.get(other_ids.agenda[AgendaItemType.STATUS_REPORT])
                history.append(
                    (
                        other.date,
                        current,
                        f"Sachstand auf der Integrationskonferenz {other.year} vorgestellt",
                        report_minutes,
                    )
                )
            history.sort(key=lambda h: h[0])
            for date, status, note, report_minutes in history:
                update_rows.append(
                    {
                        "id": self.new_id("recommendation_update"),
                        "recommendation_id": rec_id,
                        "date": date,
                        "status": status,
                        "note": note,
                        "minutes_entry_id": report_minutes,
                        "entered_by": rng.choice(STAFF_USERS),
                    }
                )
            rec_rows.append(
                {
                    "id": rec_id,
                    "conference_id": ids.conference_id,
                    "agenda_item_id": agenda_item_id,
                    "forum_id": forum_id,
                    "minutes_entry_id": minutes_id,
                    "text": rec.text,
                    "responsible_organisation_id": org.id if org is not None else None,
                    "responsible_person_id": person_id,
                    "responsible_text": rec.responsible_text,
                    "due_date": rec.due,
                    "status": rec.status,
                    "version": 1,
                    "created_at": dt.datetime.combine(conf.date + dt.timedelta(days=14), dt.time(9, 0)),
                    "updated_at": dt.datetime.combine(history[-1][0], dt.time(10, 0))
                    + dt.timedelta(minutes=rng.randrange(0, 300)),
                }
            )
        self.insert("recommendation", rec_rows)
        self.insert("recommendation_update", update_rows)
        self.summary.recommendations += len(rec_rows)
        self.summary.recommendation_updates += len(update_rows)
