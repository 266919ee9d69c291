"""PDF: HTML to PDF with WeasyPrint (allow-listed fetching, trimmed fonts, reused sections), booklets."""
