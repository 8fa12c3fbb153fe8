"""Everything printed, laid out once with QPainter on a QPagedPaintDevice.

The same painting functions serve a PDF file (QPdfWriter), the office printer (QPrinter) and the print
preview (QPrintPreviewDialog): each takes the device, prepares it as A4 without margins (DIN 5008 measures
from the paper edge) and paints page after page. Content comes finished from ``konferenz.letters``; this
package owns the geometry (``geometry.py``) and the fonts.

Fonts: Noto Sans (Latin including Turkish and Vietnamese, Greek, Cyrillic) and Noto Sans Arabic ship in
``resources/fonts`` (SIL Open Font License, see ``OFL.txt``) and are registered with Qt at first use, so a
PDF looks the same on Windows and Linux and embeds the glyphs of every name. Other scripts (Chinese,
Korean …) fall back to whatever fonts the system has.
"""
