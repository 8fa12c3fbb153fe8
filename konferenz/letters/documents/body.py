"""The letter's body (the HTML a template renders: ``p``, ``br``, ``b``/``strong``, ``i``/``em``, ``u``,
``ul``/``ol``/``li``, headings) as paragraphs of an office document.

Whitespace collapses as in HTML; a paragraph ends with one blank line (DIN 5008) unless its style says
``margin-bottom: 0`` (the line introducing a list); list items get "•" or their number and a hanging
indent of 5 mm per level, as the PDF indents them. Unknown tags keep their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from konferenz.letters.documents.model import Para, Run
from konferenz.letters.geometry import BODY_SIZE, LINE

#: indent of a list level (the PDF's ``QTextDocument.setIndentWidth``)
LIST_INDENT = 5.0
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote"}
_SPACES = re.compile(r"[ \t\r\n\f]+")
_NO_MARGIN = re.compile(r"margin-bottom\s*:\s*0(?![.\d]*[1-9])", re.IGNORECASE)


@dataclass
class _Open:
    tag: str
    runs: list[Run] = field(default_factory=list)
    space_after: float = LINE
    prefix: str = ""
    level: int = 0


class _BodyParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paras: list[Para] = []
        self.block: _Open | None = None
        self.bold = self.italic = self.underline = 0
        self.lists: list[list[object]] = []  # [tag, next number]

    # -- blocks
    def _start_block(self, tag: str, attrs: dict[str, str | None]) -> None:
        self._end_block()
        space = 0.0 if _NO_MARGIN.search(attrs.get("style") or "") else LINE
        block = _Open(tag, space_after=space)
        if tag == "li":
            block.space_after = 0.0
            block.level = max(len(self.lists), 1)
            if self.lists and self.lists[-1][0] == "ol":
                number = int(self.lists[-1][1])  # type: ignore[call-overload]  # stored as int
                self.lists[-1][1] = number + 1
                block.prefix = f"{number}.\t"
            else:
                block.prefix = "•\t"
        self.block = block

    def _end_block(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        runs = _tidy(block.runs)
        if not runs and not block.prefix:
            return
        bold = block.tag.startswith("h")
        if bold:
            runs = [Run(r.text, True, r.italic, r.underline) for r in runs]
        if block.prefix:
            runs.insert(0, Run(block.prefix))
            indent = LIST_INDENT * (block.level - 1)
            self.paras.append(Para(tuple(runs), BODY_SIZE, indent=indent, hanging=LIST_INDENT))
        else:
            self.paras.append(
                Para(tuple(runs), BODY_SIZE, space_after=block.space_after, keep_with_next=bold)
            )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _BLOCKS:
            self._start_block(tag, dict(attrs))
        elif tag in ("ul", "ol"):
            self._end_block()
            self.lists.append([tag, 1])
        elif tag == "br":
            self._text("\n")
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("i", "em"):
            self.italic += 1
        elif tag == "u":
            self.underline += 1
        elif tag in {"td", "th"} and self.block is not None and self.block.runs:
            self._text("\t")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _BLOCKS:
            self._end_block()
        elif tag in ("ul", "ol"):
            self._end_block()
            if self.lists:
                self.lists.pop()
            if not self.lists and self.paras:
                last = self.paras[-1]
                self.paras[-1] = Para(
                    last.runs, last.size, indent=last.indent, hanging=last.hanging, space_after=LINE
                )
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("i", "em"):
            self.italic = max(0, self.italic - 1)
        elif tag == "u":
            self.underline = max(0, self.underline - 1)

    def handle_data(self, data: str) -> None:
        self._text(_SPACES.sub(" ", data))

    def _text(self, text: str) -> None:
        if not text:
            return
        if self.block is None:
            if not text.strip():
                return
            self.block = _Open("p")
        self.block.runs.append(Run(text, self.bold > 0, self.italic > 0, self.underline > 0))

    def close(self) -> None:
        super().close()
        self._end_block()
        if self.paras:
            last = self.paras[-1]
            self.paras[-1] = Para(last.runs, last.size, indent=last.indent, hanging=last.hanging)


def _tidy(runs: list[Run]) -> list[Run]:
    """Runs of one paragraph with HTML's whitespace rules: no space at the start, the end or around a
    line break, no double spaces across runs; neighbouring runs of the same format joined."""
    out: list[Run] = []
    for run in runs:
        text = run.text
        before = out[-1].text if out else ""
        if text.startswith(" ") and (not before or before.endswith((" ", "\n", "\t"))):
            text = text[1:]
        if text.startswith("\n") and out and before.endswith(" "):
            out[-1] = Run(before.rstrip(" "), out[-1].bold, out[-1].italic, out[-1].underline)
        if not text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].underline) == (run.bold, run.italic, run.underline):
            out[-1] = Run(out[-1].text + text, run.bold, run.italic, run.underline)
        else:
            out.append(Run(text, run.bold, run.italic, run.underline))
    while out and not out[-1].text.rstrip():
        out.pop()
    if out:
        last = out[-1]
        out[-1] = Run(last.text.rstrip(), last.bold, last.italic, last.underline)
    return out


def body_paragraphs(html: str) -> list[Para]:
    """The paragraphs of a rendered letter body, in order."""
    parser = _BodyParser()
    parser.feed(html)
    parser.close()
    return parser.paras
