"""Render one target: context, template, page fitting, and one writer per output format (pdf, docx)."""
