"""Letters, sign-in sheets, attendee lists and minutes as office documents to edit: DOCX (Word, python-docx)
and ODT (LibreOffice Writer, odfdo), with the same content and order as their PDFs.

``model`` describes a document in paragraphs, runs, frames (positioned on the page in mm) and tables;
``docx_writer`` and ``odt_writer`` write that description; ``letters``, ``sheets`` and ``minutes`` lay out the content
(``konferenz.letters.content``, ``.sheets``, ``.printing``) by the DIN 5008 numbers of
``konferenz.letters.geometry``, so a letter edited in Word or Writer still fits the window envelope;
``files.write_document`` chooses the format by the file's suffix. No Qt here.
"""
