"""A tiny PDF 1.4 writer for the documents the sandbox hands out.

Labels, invoices and manifests only need lines of text, so this writes just
that: one A4 page per list of lines, Helvetica (a standard Type1 font every
reader has, so nothing is embedded), WinAnsi text, an exact cross-reference
table and trailer. Characters outside Latin-1 print as ``?``.
"""

PAGE_WIDTH = 595  # A4 in points
PAGE_HEIGHT = 842
MARGIN = 40
FONT_SIZE = 10
LEADING = 14  # points between baselines


def _escape(text):
    """A PDF literal string body: backslash and parentheses escaped."""
    raw = str(text).encode("latin-1", "replace").decode("latin-1")
    raw = raw.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines):
    """The page's content stream: one ``Tj`` per line, moving down each time."""
    top = PAGE_HEIGHT - MARGIN - FONT_SIZE
    ops = ["BT", f"/F1 {FONT_SIZE} Tf", f"{MARGIN} {top} Td"]
    for n, line in enumerate(lines):
        if n:
            ops.append(f"0 -{LEADING} Td")
        ops.append(f"({_escape(line)}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def pdf_document(pages):
    """PDF bytes with one page per entry of ``pages`` (lists of text lines).

    Object numbers: 1 catalog, 2 page tree, 3 font, then a page object and
    its content stream per page.
    """
    pages = [list(page) for page in pages] or [[]]
    page_ids = [4 + 2 * n for n in range(len(pages))]
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode("ascii"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
        b" /Encoding /WinAnsiEncoding >>",
    ]
    for pid, lines in zip(page_ids, pages, strict=True):
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R"
                f" /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
                f" /Resources << /Font << /F1 3 0 R >> >>"
                f" /Contents {pid + 1} 0 R >>"
            ).encode("ascii")
        )
        stream = _content(lines)
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
