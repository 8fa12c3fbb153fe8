"""Draws the "Konferenz" icon (a table seen from above with people around it) and writes
resources/icons/konferenz.png (256 px) and resources/icons/konferenz.ico (16–256 px, PNG-compressed
entries, as Windows Vista and later read them). Run once after changing the drawing; the files are in git.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = QColor("#1f4e79")
GOLD = QColor("#f2b632")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 44 * s, 44 * s)
    p.setBrush(QColor("white"))
    p.drawEllipse(QPointF(128 * s, 128 * s), 58 * s, 58 * s)  # the table
    p.setBrush(GOLD)
    for n in range(8):  # the people around it
        angle = 2 * math.pi * n / 8 - math.pi / 2
        p.drawEllipse(
            QPointF((128 + 88 * math.cos(angle)) * s, (128 + 88 * math.sin(angle)) * s), 17 * s, 17 * s
        )
    p.end()
    return image


def png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images.items():
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def main() -> int:
    QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    images = {size: png(draw(size)) for size in SIZES}
    (ICONS / "konferenz.png").write_bytes(images[256])
    (ICONS / "konferenz.ico").write_bytes(ico(images))
    return 0


if __name__ == "__main__":
    sys.exit(main())
