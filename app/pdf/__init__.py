"""The document toolkit both sides print with (reportlab platypus): document.py the page (A4,
header, "sivu 1 / 3", embedded DejaVu fonts, metadata), blocks.py its tables, charts.py each chart
drawn once for the PDF and as inline SVG for a page, text.py a document's words and numbers in its
language, parts.py what every document is made of (author, header facts, the rendered file)."""
