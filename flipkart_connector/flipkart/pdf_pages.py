"""Cut Flipkart's merged PDFs into one document per shipment.

Flipkart answers one PDF for up to 100 shipments; each delivery needs its
own label to print and reprint. A page belongs to the shipment whose
identifiers (shipment id, order id, tracking id, invoice number) it shows;
a page showing none belongs with the page before it.
"""

import io

try:  # pypdf, where installed; else PyPDF2, Odoo 18's own requirement
    from pypdf import PdfReader, PdfWriter
except ImportError:
    from PyPDF2 import PdfReader, PdfWriter


def split_pages(pdf, needles):
    """``{key: pdf bytes}`` for each key of ``needles`` (key -> texts) whose
    texts appear in the document; keys found on no page are left out."""
    reader = PdfReader(io.BytesIO(pdf), strict=False)
    groups = {}
    current = None
    for page in reader.pages:
        text = page.extract_text() or ""
        found = next(
            (
                key
                for key, texts in needles.items()
                if any(t and t in text for t in texts)
            ),
            None,
        )
        if found is not None:
            current = found
        if current is not None:
            groups.setdefault(current, []).append(page)
    documents = {}
    for key, pages in groups.items():
        writer = PdfWriter()
        for page in pages:
            writer.add_page(page)
        with io.BytesIO() as buffer:
            writer.write(buffer)
            documents[key] = buffer.getvalue()
    return documents


def page_count(pdf):
    return len(PdfReader(io.BytesIO(pdf), strict=False).pages)
