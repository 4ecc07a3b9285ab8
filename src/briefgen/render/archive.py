"""Archival PDFs: PDF/A-2a that is still PDF/UA-1.

WeasyPrint writes one conformance identifier per file. `--archive` renders PDF/A-2 level a
(tagged, which our documents are anyway) and then adds the PDF/UA-1 identifier to the XMP with
the extension schema PDF/A requires for any property outside its predefined schemas.
"""

from __future__ import annotations

import io
import re

ARCHIVE_VARIANT = "pdf/a-2a"

_RDF_OPEN = re.compile(rb"<rdf:RDF\b[^>]*>")

# The PDF/UA identification schema, declared for PDF/A (ISO 14289-1, 5, and ISO 19005-2, 6.6.2.3).
_PDFUA_ID = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1" />\
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates which part of ISO 14289 the file conforms to</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"""


def add_pdfua_identifier(data: bytes) -> bytes:
    """Return the PDF/A file DATA with the PDF/UA-1 identifier added to its XMP, bytes reproducible."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        match = _RDF_OPEN.search(xmp)
        if match is None or b"pdfaid:part" not in xmp:
            raise ValueError("the PDF has no PDF/A identification in its XMP metadata")
        xmp = xmp[: match.end()] + _PDFUA_ID + xmp[match.end() :]
        # PDF/A forbids a filter on the metadata stream; qpdf never compresses one when saving.
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)  # /ID from the content, so rebuilds are byte-identical
        return out.getvalue()
