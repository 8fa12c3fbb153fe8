"""The letter templates: the one Jinja2 environment (sandboxed, ``StrictUndefined``, autoescape on), its
loader, the user's template folder and the German messages of a template that cannot be rendered.

The loader reads first from the user's own template folder (``<user data dir>/Vorlagen``; a file there with
the name of a shipped template replaces it) and then from ``resources/templates``. A template may set its subject with
``{% set subject = "…" %}``; its output is the body between salutation and closing.

Template variables (all plain values; dates and times already in German form):
``person`` (``None`` for a letter to an organisation; ``title``, ``first_name``, ``name_prefix``,
``last_name``, ``full_name``, ``name_with_title``, ``function``), ``organisation`` (``None`` or ``name``,
``department``, ``short_name``), ``invitation`` (``status``, ``forum``, ``companions``,
``substitute_name``, ``invited_on``, ``replied_on``), ``conference`` (``year``, ``title``, ``theme``,
``date``, ``date_short``, ``start_time``, ``end_time``, ``time_range``, ``venue_name``, ``venue_street``,
``venue_postal_code``, ``venue_city``, ``venue``, ``reply_deadline``), ``forums`` (list: ``number``,
``label`` ("Forum 2: Arbeit"), ``title``, ``description``, ``room``, ``moderation``), ``agenda`` (list: ``time``, ``title``, ``type``,
``speakers``, ``moderation``, ``room``), ``minutes`` (list: ``title``, ``results``, ``notes``),
``recommendations`` (list: ``text``, ``responsible``), ``reply_deadline``, ``salutation``, ``sender``
(the sender settings), ``today``, ``enclosures`` (``programme``, ``reply_form``: booleans).
Filters: ``absaetze`` (text with line breaks → escaped paragraphs), ``zeilen`` (line breaks → ``<br>``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from konferenz import paths
from konferenz.errors import UserError
from konferenz.letters.dates import deadline_passed, german_date, german_date_weekday, german_time
from konferenz.text import collapse_spaces

TEMPLATE_SUFFIX = ".html.j2"
DEFAULT_TEMPLATE = "einladung" + TEMPLATE_SUFFIX
USER_TEMPLATE_FOLDER = "Vorlagen"


class TemplateError(UserError):
    """A template that cannot be rendered: syntax error, unknown variable, forbidden operation."""

    def __init__(self, message: str, *, template: str = "", lineno: int | None = None) -> None:
        super().__init__(message)
        self.template = template
        self.lineno = lineno


def user_template_dir() -> Path:
    """The user's own template folder (``<user data dir>/Vorlagen``); created on demand by the editor."""
    return paths.data_dir() / USER_TEMPLATE_FOLDER


def builtin_template_dir() -> Path:
    return paths.resources_dir() / "templates"


def _paragraphs(value: object) -> Markup:
    """Text with line breaks as escaped HTML paragraphs (blank line = new paragraph)."""
    text = str(value or "").replace("\r\n", "\n").strip()
    if not text:
        return Markup("")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in block.split("\n")))
        for block in blocks
    )


def _line_breaks(value: object) -> Markup:
    text = str(value or "").replace("\r\n", "\n").strip()
    return Markup("<br>").join(escape(line) for line in text.split("\n")) if text else Markup("")


@functools.cache
def _environment(user_dir: Path, builtin_dir: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(user_dir)), jinja2.FileSystemLoader(str(builtin_dir))]
        ),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters["absaetze"] = _paragraphs
    env.filters["zeilen"] = _line_breaks
    env.filters["datum"] = german_date
    env.filters["datum_wochentag"] = german_date_weekday
    env.filters["uhrzeit"] = german_time
    return env


_folder_states: dict[Path, tuple[tuple[str, int], ...]] = {}


def _folder_state(folder: Path) -> tuple[tuple[str, int], ...]:
    try:
        with os.scandir(folder) as entries:
            return tuple(
                sorted((e.name, e.stat().st_mtime_ns) for e in entries if e.name.endswith(TEMPLATE_SUFFIX))
            )
    except OSError:
        return ()


def environment() -> SandboxedEnvironment:
    """The one template environment (per user template folder).

    Jinja reloads a changed template file by itself; a template the user adds (possibly replacing a shipped
    one of the same name) is noticed here, by the folder listing, and empties the template cache.
    """
    user = user_template_dir()
    env = _environment(user, builtin_template_dir())
    state = _folder_state(user)
    if _folder_states.get(user) != state:
        if env.cache is not None:
            env.cache.clear()
        _folder_states[user] = state
    return env


def available_templates() -> list[str]:
    """Names of all templates (shipped and the user's own), sorted."""
    names: set[str] = set()
    for folder in (builtin_template_dir(), user_template_dir()):
        if folder.is_dir():
            names.update(p.name for p in folder.glob("*" + TEMPLATE_SUFFIX))
    return sorted(names)


def template_name(name: str) -> str:
    """The file name of a template given as "einladung" or "einladung.html.j2"; TemplateError if none."""
    wanted = name.strip()
    if not wanted.endswith(TEMPLATE_SUFFIX):
        wanted += TEMPLATE_SUFFIX
    if wanted not in available_templates():
        choices = ", ".join(n.removesuffix(TEMPLATE_SUFFIX) for n in available_templates())
        raise TemplateError(f"Die Vorlage „{name}“ gibt es nicht. Vorhanden: {choices}.", template=name)
    return wanted


def looks_like_name(text: str) -> bool:
    return "\n" not in text and "{" not in text and "<" not in text and len(text) < 200


def template_kind(name: str) -> str:
    """ "einladung", "erinnerung", "dank" or another base name of a template file."""
    return Path(name).name.removesuffix(TEMPLATE_SUFFIX)


def template_title(name: str) -> str:
    """What staff call a template: "Einladung", "Erinnerung kurz" (the file name without its suffix,
    capitalised): reports and messages name templates by it, never by their file name."""
    text = template_kind(name).replace("_", " ").replace("-", " ").strip() or name
    return text[:1].upper() + text[1:]


# What a template is for, by the prefix of its name (the one home of the prefixes: who gets it by default,
# what a sending records, the purpose of an e-mail run, whether it asks for a reply).


def is_reminder(name: str) -> bool:
    """An "erinnerung…" template: a reminder to those who have not replied."""
    return template_kind(name).startswith("erinnerung")


def is_thank_you(name: str) -> bool:
    """A "dank…" template: a thank-you to those who came; it asks for no reply."""
    return template_kind(name).startswith("dank")


def reply_warning(name: str, reply_deadline: dt.date | None, letter_date: dt.date | None = None) -> str:
    """``deadline_passed`` for letters and e-mails of template ``name``; "" for a thank-you, which asks for
    no reply."""
    return "" if is_thank_you(name) else deadline_passed(reply_deadline, letter_date)


_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '(?P<name>[^']+)'")


def _error_line(exc: BaseException, template: jinja2.Template) -> int | None:
    """The template line of a runtime error.

    ``make_module`` runs the compiled template without Jinja's traceback rewriting, so the frames carry
    lines of the generated Python code; the template's debug info maps them back.
    """
    names = {template.filename, "<template>"}
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in names and frame.lineno is not None:
            line = template.get_corresponding_lineno(frame.lineno)
    return line


def _german_reason(exc: BaseException) -> str:
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, jinja2.UndefinedError):
        found = _UNDEFINED.match(message) or _NO_ATTRIBUTE.search(message)
        if found:
            return f"„{found['name']}“ ist kein bekannter Platzhalter"
        return f"unbekannter Platzhalter ({message})"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"Syntaxfehler ({message})"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"in Vorlagen nicht erlaubt ({message})"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"die Vorlage „{exc.name}“ gibt es nicht"
    if isinstance(exc, RecursionError):
        return "zu tief verschachtelt – ruft sich ein Makro (oder ein {% include %}) immer wieder selbst auf?"
    if isinstance(exc, AssertionError):  # Jinja's filters check their arguments with assert
        detail = f" ({message})" if message else ""
        return f"ein Filter wurde mit einem ungültigen Wert aufgerufen{detail}"
    if isinstance(exc, ZeroDivisionError):
        return "Division durch null"
    if isinstance(exc, TypeError | ValueError):
        return f"ungültiger Wert ({message})"
    if isinstance(exc, LookupError):
        return f"diesen Eintrag gibt es nicht ({message})"
    return f"unerwarteter Fehler beim Ausfüllen ({type(exc).__name__}: {message})"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render_template(template_name_or_source: str, context: Mapping[str, Any]) -> Rendered:
    """Subject (``{% set subject = … %}``) and body HTML of a template given by name or as source text."""
    return template_renderer(template_name_or_source)(context)


def template_renderer(template_name_or_source: str) -> Callable[[Mapping[str, Any]], Rendered]:
    """``render_template`` for many contexts: the template is looked up and compiled once (raising its
    ``TemplateError`` here), then each call fills it in (raising a ``TemplateError`` with the line). A run of
    letters so uses one version of the template throughout, even if its file changes meanwhile."""
    template, display = _load_template(template_name_or_source)
    return functools.partial(_fill, template, display)


def _load_template(template_name_or_source: str) -> tuple[jinja2.Template, str]:
    env = environment()
    display = "Vorlagentext"
    try:
        if looks_like_name(template_name_or_source):
            name = template_name(template_name_or_source)
            display = name
            template = env.get_template(name)
        else:
            template = env.from_string(template_name_or_source)
    except jinja2.TemplateSyntaxError as exc:
        where = f"Zeile {exc.lineno}"
        raise TemplateError(
            f"Fehler in der Vorlage „{exc.name or display}“, {where}: {_german_reason(exc)}",
            template=exc.name or display,
            lineno=exc.lineno,
        ) from exc
    except jinja2.TemplateNotFound as exc:  # an {% include %} of a missing file
        raise TemplateError(f"Die Vorlage „{exc.name}“ gibt es nicht.", template=str(exc.name)) from exc
    except TemplateError:
        raise
    except Exception as exc:  # e.g. RecursionError: nested too deeply to compile
        raise TemplateError(
            f"Fehler in der Vorlage „{display}“: {_german_reason(exc)}", template=display
        ) from exc
    return template, display


def _fill(template: jinja2.Template, display: str, context: Mapping[str, Any]) -> Rendered:
    try:
        module = template.make_module(dict(context))
        body = str(module)
        subject = collapse_spaces(str(getattr(module, "subject", "") or ""))
    except Exception as exc:
        # a user's template may fail in any way (a filter's assert, a macro calling itself): a German
        # message with the line, never a traceback – the editor renders half-typed text
        if isinstance(exc, jinja2.TemplateSyntaxError):
            lineno: int | None = exc.lineno
        else:
            lineno = _error_line(exc, template)
        where = f", Zeile {lineno}" if lineno else ""
        raise TemplateError(
            f"Fehler in der Vorlage „{display}“{where}: {_german_reason(exc)}",
            template=display,
            lineno=lineno,
        ) from exc
    return Rendered(subject=subject, body=body.strip())


def render_body(template_name_or_source: str, context: Mapping[str, Any]) -> str:
    """The body HTML of a template (by name, e.g. "einladung.html.j2", or as source text).

    Raises ``TemplateError`` (a ``UserError``) with the template line for syntax errors, unknown variables,
    anything the sandbox forbids and any other failure while filling it in (a filter's invalid argument, a
    macro calling itself).
    """
    return render_template(template_name_or_source, context).body
