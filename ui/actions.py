"""Every action of the main window (menu entry, shortcut, status tip), declared in one place.

The window connects the actions to its slots and puts them into menus; tests trigger them directly.
Texts go through Qt's translation functions (context "Actions") so another language can be added.
``shortcut_entries`` lists every declared action with a shortcut (for Hilfe → Tastenkürzel …), with its menu
path or area and the keys in German ("Strg+Umschalt+P").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("Actions", text)


#: the areas of the main window in navigation order; Ctrl+1 … Ctrl+5 switch to them
AREA_NAMES: tuple[str, ...] = ("Adressen", "Konferenzen", "Programm", "Protokoll", "Ergebnisse")


@dataclass(frozen=True)
class Actions:
    open_database: QAction
    new_database: QAction
    quit: QAction
    find: QAction
    about: QAction
    handbook: QAction
    shortcuts: QAction
    #: one checkable action per area (exclusive group), in ``AREA_NAMES`` order
    areas: tuple[QAction, ...]
    area_group: QActionGroup

    def all(self) -> list[QAction]:
        return [
            self.open_database,
            self.new_database,
            self.quit,
            self.find,
            self.handbook,
            self.shortcuts,
            self.about,
            *self.areas,
        ]


#: the dynamic property that holds an action's command without "&" (see ``shortcut_entries``)
COMMAND_PROPERTY = "konferenz_command"


def plain_text(text: str) -> str:
    """A menu text without its mnemonic ("Datenbank ö&ffnen …" → "Datenbank öffnen …"; "&&" → "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


#: Qt's key names as German keyboards label them
_KEY_NAMES = {
    "Ctrl": "Strg",
    "Shift": "Umschalt",
    "Alt": "Alt",
    "Meta": "Meta",
    "Del": "Entf",
    "Ins": "Einfg",
    "Up": "Pfeil nach oben",
    "Down": "Pfeil nach unten",
    "Left": "Pfeil nach links",
    "Right": "Pfeil nach rechts",
    "PgUp": "Bild auf",
    "PgDown": "Bild ab",
    "Home": "Pos1",
    "End": "Ende",
    "Return": "Eingabetaste",
    "Enter": "Eingabetaste",
    "Space": "Leertaste",
    "Backspace": "Rücktaste",
    "Esc": "Esc",
    "Tab": "Tab",
}


def key_text(sequence: QKeySequence) -> str:
    """A key sequence as a German keyboard names it: "Strg+Umschalt+Z", "Entf", "Alt+Pfeil nach oben"."""
    chords = []
    for chord in sequence.toString(QKeySequence.SequenceFormat.PortableText).split(", "):
        parts = chord.split("+")
        if chord.endswith("++"):  # the plus key itself
            parts = [*parts[:-2], "+"]
        chords.append("+".join(_tr(_KEY_NAMES.get(p, p)) for p in parts))
    return ", ".join(chords)


@dataclass(frozen=True)
class ShortcutEntry:
    """One line of Hilfe → Tastenkürzel: where (menu path or area), the command, the keys."""

    place: str
    command: str
    keys: str


def _menu_paths(menu: QMenu, path: str, found: dict[QAction, str]) -> None:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            _menu_paths(sub, f"{path} → {plain_text(action.text())}", found)
        elif not action.isSeparator():
            found.setdefault(action, path)


def shortcut_entries(window: QWidget, places: Mapping[QWidget, str] = {}) -> list[ShortcutEntry]:
    """Every action declared here (owned by ``window`` or one of its children) that has a shortcut: first
    those in the menu bar, in menu order, named by their menu path ("Konferenz → Drucken"), then the others
    named by the first of ``places`` (area widget → "Bereich Programm") they were added to."""
    paths: dict[QAction, str] = {}
    if isinstance(window, QMainWindow):
        for top in window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                _menu_paths(menu, plain_text(top.text()), paths)
    declared = [
        a for a in window.findChildren(QAction) if a.property(COMMAND_PROPERTY) and not a.shortcut().isEmpty()
    ]
    order = {action: i for i, action in enumerate(paths)}

    def place_of(action: QAction) -> str:
        if action in paths:
            return paths[action]
        for owner in action.associatedObjects():
            widget = owner if isinstance(owner, QWidget) else None
            while widget is not None:
                if widget in places:
                    return places[widget]
                widget = widget.parentWidget()
        return _tr("Fenster")

    place_order = list(dict.fromkeys(places.values()))
    rows = [(a, place_of(a)) for a in declared]
    rows.sort(
        key=lambda row: (
            order.get(row[0], len(order)),
            place_order.index(row[1]) if row[1] in place_order else len(place_order),
        )
    )
    return [
        ShortcutEntry(
            place,
            str(action.property(COMMAND_PROPERTY)),
            _tr(" oder ").join(key_text(k) for k in action.shortcuts()),
        )
        for action, place in rows
    ]


def _action(
    parent: QObject,
    text: str,
    *,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
    name: str,
) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    # the command as Hilfe → Tastenkürzel names it (the text may change later: "Rückgängig: …")
    action.setProperty(COMMAND_PROPERTY, plain_text(text))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    return action


def create_actions(parent: QObject, area_names: Sequence[str] = AREA_NAMES) -> Actions:
    """The window's actions, owned by ``parent`` (the window adds them so their shortcuts work)."""
    group = QActionGroup(parent)
    group.setExclusive(True)
    areas = []
    for number, area in enumerate(area_names, start=1):
        action = _action(
            parent,
            f"&{number} {_tr(area)}",
            shortcut=f"Ctrl+{number}",
            tip=_tr("Bereich „{0}“ anzeigen").format(_tr(area)),
            name=f"action_area_{number}",
        )
        action.setCheckable(True)
        group.addAction(action)
        areas.append(action)
    return Actions(
        open_database=_action(
            parent,
            _tr("Datenbank ö&ffnen …"),
            shortcut=QKeySequence.StandardKey.Open,
            tip=_tr("Eine andere Konferenz-Datenbank (SQLite-Datei) öffnen"),
            name="action_open_database",
        ),
        new_database=_action(
            parent,
            _tr("&Neue Datenbank …"),
            shortcut=QKeySequence.StandardKey.New,
            tip=_tr("Eine neue, leere Konferenz-Datenbank anlegen"),
            name="action_new_database",
        ),
        quit=_action(
            parent,
            _tr("&Beenden"),
            shortcut="Ctrl+Q",
            tip=_tr("Das Programm beenden"),
            name="action_quit",
        ),
        find=_action(
            parent,
            _tr("&Suchen"),
            shortcut=QKeySequence.StandardKey.Find,
            tip=_tr("Zum Suchfeld des angezeigten Bereichs"),
            name="action_find",
        ),
        about=_action(
            parent,
            _tr("Ü&ber Konferenz"),
            tip=_tr("Version und Zweck des Programms"),
            name="action_about",
        ),
        handbook=_action(
            parent,
            _tr("&Handbuch"),
            shortcut=QKeySequence.StandardKey.HelpContents,
            tip=_tr("Das Benutzerhandbuch im Browser öffnen: der Jahreslauf Schritt für Schritt (F1)"),
            name="action_handbook",
        ),
        shortcuts=_action(
            parent,
            _tr("&Tastenkürzel …"),
            tip=_tr("Alle Tastenkürzel des Fensters und die Statustasten der Rückmeldungen"),
            name="action_shortcuts",
        ),
        areas=tuple(areas),
        area_group=group,
    )


# --- Programm, Protokoll, Ergebnisse ---------------------------------------------------------------------
# The actions of one area; the area adds them to itself, so their shortcuts work only while the focus is
# inside it (Qt.ShortcutContext.WidgetWithChildrenShortcut), and shows them as buttons.


def _area_action(
    parent: QObject,
    text: str,
    *,
    name: str,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
) -> QAction:
    action = _action(parent, text, shortcut=shortcut, tip=tip, name=name)
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return action


@dataclass(frozen=True)
class ProgrammeActions:
    new_item: QAction
    edit_item: QAction
    delete_item: QAction
    move_up: QAction
    move_down: QAction
    assign_forums: QAction
    agenda_pdf: QAction
    running_order_pdf: QAction
    agenda_excel: QAction

    def all(self) -> list[QAction]:
        return list(self.__dict__.values())


def create_programme_actions(parent: QObject) -> ProgrammeActions:
    return ProgrammeActions(
        new_item=_area_action(
            parent,
            _tr("&Neuer Punkt …"),
            shortcut="Ins",
            tip=_tr("Einen Programmpunkt nach dem ausgewählten einfügen (Einfg)"),
            name="action_agenda_new",
        ),
        edit_item=_area_action(
            parent,
            _tr("Bearbe&iten …"),
            shortcut="F2",
            tip=_tr("Den ausgewählten Programmpunkt bearbeiten (F2 oder Eingabetaste)"),
            name="action_agenda_edit",
        ),
        delete_item=_area_action(
            parent,
            _tr("&Löschen"),
            shortcut=QKeySequence.StandardKey.Delete,
            tip=_tr("Den ausgewählten Programmpunkt löschen (Entf)"),
            name="action_agenda_delete",
        ),
        move_up=_area_action(
            parent,
            _tr("Nach &oben"),
            shortcut="Alt+Up",
            tip=_tr("Den Programmpunkt eine Stelle früher legen; die Zeiten folgen (Alt+Pfeil nach oben)"),
            name="action_agenda_up",
        ),
        move_down=_area_action(
            parent,
            _tr("Nach &unten"),
            shortcut="Alt+Down",
            tip=_tr("Den Programmpunkt eine Stelle später legen; die Zeiten folgen (Alt+Pfeil nach unten)"),
            name="action_agenda_down",
        ),
        assign_forums=_area_action(
            parent,
            _tr("&Foren zuordnen …"),
            tip=_tr("Die parallelen Foren der ausgewählten Forenphase wählen"),
            name="action_agenda_forums",
        ),
        agenda_pdf=_area_action(
            parent,
            _tr("&Programm als PDF …"),
            tip=_tr("Das Programm (etwa als Anlage zur Einladung) als PDF speichern"),
            name="action_agenda_pdf",
        ),
        running_order_pdf=_area_action(
            parent,
            _tr("&Regieplan als PDF …"),
            tip=_tr("Den internen Regieplan mit Verantwortlichen und Notizen als PDF speichern"),
            name="action_running_order_pdf",
        ),
        agenda_excel=_area_action(
            parent,
            _tr("Als &Excel …"),
            tip=_tr("Das Programm als Excel-Datei speichern"),
            name="action_agenda_excel",
        ),
    )


@dataclass(frozen=True)
class MinutesActions:
    save: QAction
    add_recommendation: QAction
    minutes_pdf: QAction

    def all(self) -> list[QAction]:
        return list(self.__dict__.values())


def create_minutes_actions(parent: QObject) -> MinutesActions:
    return MinutesActions(
        save=_area_action(
            parent,
            _tr("Protokoll &speichern"),
            shortcut=QKeySequence.StandardKey.Save,
            tip=_tr("Notizen, Ergebnisse und Berichterstattung dieses Punkts speichern (Strg+S)"),
            name="action_minutes_save",
        ),
        add_recommendation=_area_action(
            parent,
            _tr("E&mpfehlung hinzufügen …"),
            tip=_tr("Eine Handlungsempfehlung aus diesem Punkt oder Forum festhalten"),
            name="action_minutes_recommendation",
        ),
        minutes_pdf=_area_action(
            parent,
            _tr("Protokoll als &PDF …"),
            tip=_tr("Das Protokoll der Konferenz als PDF speichern"),
            name="action_minutes_pdf",
        ),
    )


@dataclass(frozen=True)
class ResultsActions:
    add_note: QAction
    export_excel: QAction

    def all(self) -> list[QAction]:
        return list(self.__dict__.values())


def create_results_actions(parent: QObject) -> ResultsActions:
    return ResultsActions(
        add_note=_area_action(
            parent,
            _tr("&Vermerk speichern"),
            tip=_tr("Den Sachstand (Datum, Status, Vermerk) zur ausgewählten Empfehlung speichern"),
            name="action_results_note",
        ),
        export_excel=_area_action(
            parent,
            _tr("Als &Excel …"),
            tip=_tr("Die angezeigten Empfehlungen als Excel-Datei speichern"),
            name="action_results_excel",
        ),
    )


@dataclass(frozen=True)
class ConferenceActions:
    """The menu "Konferenz": the conference chosen in the Konferenzen area and its invitations."""

    new_conference: QAction
    edit_conference: QAction
    copy_conference: QAction
    invite: QAction
    reminders: QAction
    #: e-mail: "Einladungen versenden" (also reminders and thanks), the reminder by e-mail, the settings
    send_mail: QAction
    mail_reminders: QAction
    mail_settings: QAction
    #: the confirmed step after drafts were written into a folder
    mail_drafts: QAction
    checkin: QAction
    statistics: QAction
    #: submenu "Drucken": paper for the chosen conference (and the selected invitations)
    letters: QAction
    labels: QAction
    badges: QAction
    signin_sheet: QAction
    attendee_list: QAction
    certificates: QAction
    templates: QAction
    sender: QAction

    def all(self) -> list[QAction]:
        return list(self.__dict__.values())

    def printing(self) -> list[QAction | None]:
        """The entries of the submenu "Drucken" (None: a separator)."""
        return [
            self.letters,
            None,
            self.labels,
            self.badges,
            self.signin_sheet,
            self.attendee_list,
            self.certificates,
            None,
            self.templates,
            self.sender,
        ]


def create_conference_actions(parent: QObject) -> ConferenceActions:
    return ConferenceActions(
        new_conference=_action(
            parent,
            _tr("&Neue Konferenz …"),
            tip=_tr("Eine Konferenz anlegen (Jahr, Titel, Ort, Kapazität, Rückmeldefrist, Foren)"),
            name="action_new_conference",
        ),
        edit_conference=_action(
            parent,
            _tr("Konferenz &bearbeiten …"),
            tip=_tr("Die gewählte Konferenz und ihre Foren bearbeiten"),
            name="action_edit_conference",
        ),
        copy_conference=_action(
            parent,
            _tr("&Vorjahr kopieren …"),
            tip=_tr(
                "Neue Konferenz mit Ort, Zeiten, Kapazität, Foren und auf Wunsch den Eingeladenen des Vorjahrs"
            ),
            name="action_copy_conference",
        ),
        invite=_action(
            parent,
            _tr("&Einladen …"),
            shortcut="Ctrl+Shift+E",
            tip=_tr("Nach Kategorie, Kommune, Schlagwort, Verteiler, Vorjahr oder einzeln einladen"),
            name="action_invite",
        ),
        reminders=_action(
            parent,
            _tr("E&rinnerungsliste"),
            tip=_tr("Alle, die nach der Rückmeldefrist noch nicht geantwortet haben"),
            name="action_reminders",
        ),
        send_mail=_action(
            parent,
            _tr("Einladungen per E-&Mail …"),
            tip=_tr(
                "Persönliche E-Mails mit Anlagen über den Mailserver des Amts; wer keine Adresse hat, "
                "bekommt einen Brief. Vorschau, Entwürfe, Senden mit Bericht"
            ),
            name="action_send_mail",
        ),
        mail_reminders=_action(
            parent,
            _tr("Er&innerung per E-Mail …"),
            tip=_tr("Die Erinnerungsliste zeigen und allen darin die Erinnerung per E-Mail senden"),
            name="action_mail_reminders",
        ),
        mail_settings=_action(
            parent,
            _tr("E-Mail-Einstellun&gen …"),
            tip=_tr("Absender, Antwortadresse, Mailserver, Kennwort (im Kennwortspeicher), Testnachricht"),
            name="action_mail_settings",
        ),
        mail_drafts=_action(
            parent,
            _tr("E-Mail-Ent&würfe bestätigen …"),
            tip=_tr(
                "Entwürfe, die in einen Ordner geschrieben wurden, als versendet vermerken – oder verwerfen, "
                "wenn sie nicht versendet wurden"
            ),
            name="action_mail_drafts",
        ),
        checkin=_action(
            parent,
            _tr("&Check-in …"),
            shortcut="Ctrl+Shift+C",
            tip=_tr("Vollbild-Anmeldung am Einlass: Namen suchen, Eingabetaste meldet an"),
            name="action_checkin",
        ),
        statistics=_action(
            parent,
            _tr("&Statistik …"),
            tip=_tr(
                "Eingeladen, Rückmeldung, zugesagt, abgesagt, teilgenommen: nach Kategorie, Kommune, Jahr"
            ),
            name="action_statistics",
        ),
        letters=_action(
            parent,
            _tr("&Serienbriefe …"),
            shortcut="Ctrl+Shift+B",
            tip=_tr(
                "Einladungen, Erinnerungen oder Dankschreiben nach DIN 5008 für Fensterumschläge: Vorschau, "
                "Drucken, PDF; der Versand wird bei jeder Einladung vermerkt"
            ),
            name="action_letters",
        ),
        labels=_action(
            parent,
            _tr("&Adressetiketten …"),
            tip=_tr("Adressetiketten (Zweckform 3475, 3474, Avery L7160), auch ab einer Startposition"),
            name="action_labels",
        ),
        badges=_action(
            parent,
            _tr("&Namensschilder …"),
            tip=_tr("Namensschilder (Avery L4785) mit Name, Organisation und Forum"),
            name="action_badges",
        ),
        signin_sheet=_action(
            parent,
            _tr("&Unterschriftenliste …"),
            tip=_tr("Unterschriftenliste für den Einlass, für die Konferenz oder ein Forum"),
            name="action_signin_sheet",
        ),
        attendee_list=_action(
            parent,
            _tr("&Teilnehmerliste …"),
            tip=_tr("Teilnehmerliste (nur wer eingewilligt hat), auch je Forum"),
            name="action_attendee_list",
        ),
        certificates=_action(
            parent,
            _tr("Teilnahme&bescheinigungen …"),
            tip=_tr(
                "Teilnahmebescheinigungen für alle mit Check-in oder die Auswahl: eine PDF-Datei oder eine je "
                "Person, mit Vorlage, Vorschau und Unterschrift"
            ),
            name="action_certificates",
        ),
        templates=_action(
            parent,
            _tr("Brief&vorlagen …"),
            tip=_tr("Briefvorlagen kopieren und bearbeiten, mit Vorschau an einem echten Empfänger"),
            name="action_letter_templates",
        ),
        sender=_action(
            parent,
            _tr("Briefkopf und Abs&ender …"),
            tip=_tr("Logo, Absender, Rücksendeangabe, Ansprechperson und Kontakt der Briefe"),
            name="action_letter_sender",
        ),
    )


# --- Bearbeiten: undo, redo and the address register --------------------------------------------------------


@dataclass(frozen=True)
class RegistryActions:
    """The menu "Bearbeiten" (undo, redo, new records, duplicates) and the Adressen area's own actions.

    ``edit_record`` (F2), ``delete_record`` (Entf) and ``merge_records`` act on the list shown in the
    Adressen area; the area adds them to itself, so their shortcuts work only there (the same keys serve
    other areas). Undo and redo follow the window's undo stack (text, enabled state).
    """

    undo: QAction
    redo: QAction
    new_person: QAction
    new_organisation: QAction
    find_duplicates: QAction
    edit_record: QAction
    delete_record: QAction
    merge_records: QAction

    def all(self) -> list[QAction]:
        return list(self.__dict__.values())


def _bind_undo(undo: QAction, redo: QAction, stack: QUndoStack) -> None:
    """Undo and redo follow the stack; the signals carry the state (the stack may be going away)."""

    def undo_text(text: str) -> None:
        undo.setText(_tr("&Rückgängig: {0}").format(text) if text else _tr("&Rückgängig"))

    def redo_text(text: str) -> None:
        redo.setText(_tr("&Wiederholen: {0}").format(text) if text else _tr("&Wiederholen"))

    undo.triggered.connect(stack.undo)
    redo.triggered.connect(stack.redo)
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(undo_text)
    stack.redoTextChanged.connect(redo_text)
    undo.setEnabled(stack.canUndo())
    redo.setEnabled(stack.canRedo())
    undo_text(stack.undoText() if stack.canUndo() else "")
    redo_text(stack.redoText() if stack.canRedo() else "")


def create_registry_actions(parent: QObject, undo_stack: QUndoStack) -> RegistryActions:
    undo = _action(
        parent,
        _tr("&Rückgängig"),
        shortcut=QKeySequence.StandardKey.Undo,
        tip=_tr("Die letzte Änderung zurücknehmen (Strg+Z)"),
        name="action_undo",
    )
    redo = _action(
        parent,
        _tr("&Wiederholen"),
        tip=_tr("Die zurückgenommene Änderung wiederholen (Strg+Umschalt+Z)"),
        name="action_redo",
    )
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    _bind_undo(undo, redo, undo_stack)
    return RegistryActions(
        undo=undo,
        redo=redo,
        new_person=_action(
            parent,
            _tr("Neue &Person"),
            shortcut="Ctrl+Shift+P",
            tip=_tr("Eine Person in den Adressbestand aufnehmen (Strg+Umschalt+P)"),
            name="action_new_person",
        ),
        new_organisation=_action(
            parent,
            _tr("Neue &Organisation"),
            shortcut="Ctrl+Shift+O",
            tip=_tr("Eine Organisation in den Adressbestand aufnehmen (Strg+Umschalt+O)"),
            name="action_new_organisation",
        ),
        find_duplicates=_action(
            parent,
            _tr("&Dubletten suchen …"),
            tip=_tr("Den ganzen Adressbestand nach doppelten Personen durchsuchen und zusammenführen"),
            name="action_find_duplicates",
        ),
        edit_record=_action(
            parent,
            _tr("&Bearbeiten"),
            shortcut="F2",
            tip=_tr("Den gewählten Eintrag bearbeiten (F2 oder Eingabetaste)"),
            name="action_edit_record",
        ),
        delete_record=_action(
            parent,
            _tr("&Löschen …"),
            shortcut=QKeySequence.StandardKey.Delete,
            tip=_tr("Den gewählten Eintrag löschen (Entf); Strg+Z holt ihn zurück"),
            name="action_delete_record",
        ),
        merge_records=_action(
            parent,
            _tr("&Zusammenführen …"),
            tip=_tr("Die zwei markierten Einträge zu einem zusammenführen"),
            name="action_merge_records",
        ),
    )


# --- Datei: import and export of lists ------------------------------------------------------------------------


@dataclass(frozen=True)
class FileActions:
    """Datei → Importieren … (Excel/CSV into the register), Liste exportieren … (the list shown), Importe …"""

    import_file: QAction
    export_list: QAction
    imports: QAction
    privacy: QAction
    audit_log: QAction

    def all(self) -> list[QAction]:
        return list(self.__dict__.values())


def create_file_actions(parent: QObject) -> FileActions:
    return FileActions(
        import_file=_action(
            parent,
            _tr("&Importieren …"),
            shortcut="Ctrl+I",
            tip=_tr("Personen und Organisationen aus einer Excel- oder CSV-Datei übernehmen (Strg+I)"),
            name="action_import",
        ),
        export_list=_action(
            parent,
            _tr("Liste &exportieren …"),
            shortcut="Ctrl+E",
            tip=_tr(
                "Die angezeigte Liste mit Suche, Sortierung und sichtbaren Spalten als Excel-Datei (Strg+E)"
            ),
            name="action_export_list",
        ),
        imports=_action(
            parent,
            _tr("Im&porte …"),
            tip=_tr("Die bisherigen Importe; einen davon rückgängig machen"),
            name="action_imports",
        ),
        privacy=_action(
            parent,
            _tr("&Datenschutz …"),
            tip=_tr(
                "Auskunft über eine Person (JSON und PDF), Anonymisieren, Überprüfung lange nicht "
                "eingeladener Personen"
            ),
            name="action_privacy",
        ),
        audit_log=_action(
            parent,
            _tr("Änderungsprotoko&ll exportieren …"),
            tip=_tr(
                "Jede Änderung an Personen, Organisationen, Einladungen und Empfehlungen mit Zeitpunkt, "
                "Benutzer, Rechner, altem und neuem Wert als Excel-Datei"
            ),
            name="action_audit_log",
        ),
    )
