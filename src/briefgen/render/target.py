"""Render one target: declaration → context → Jinja2 template → HTML → a writer (PDF with WeasyPrint, .docx with the Word writer, a web page as it is).

This is the one road every output takes; writers receive markup and never see YAML or options.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from ..audiences.declaration import Target
from ..content.source import Content
from ..errors import BriefgenError, Problem, strict_failures
from .html import Artifact, Kit, asset_roots, build_html, layout_problem
from .options import RenderOptions, source_date
from .templates import BUILTIN_TEMPLATES


def render_target(content: Content, target: Target, out_dir: Path, options: RenderOptions, pages: list[bytes] | None = None) -> Artifact:
    """Build TARGET into OUT_DIR and return what was written.

    A document assembled from other documents' pages (a handout pack) joins PAGES, their PDFs
    as the build made them, or renders them itself.
    """
    audience = target.declaration
    out = out_dir / target.name
    if target.format == "pdf":
        require_coverage(content, audience.printed_langs(content.report.info, target), options.templates)
    if audience.pages_from:
        from .pack import render_assembled

        if pages is not None:
            return render_assembled(content, target, out, options, pages)
        return render_assembled(content, target, out, options, *_render_pages(content, target, options))
    extra = audience.context(content, target, options, Kit(content, options)) if audience.context else {}
    if target.recipient:  # one recipient's document: its addressee, and what it follows first
        from ..audiences.recipients import recipient_context

        extra.update(recipient_context(content, target))
    if options.since is not None and target.format == "pdf":  # build --since: the changes section
        from .changes import changes_for

        extra = changes_for(content, target, options, extra)
    if target.format == "email":
        from .email import write_email

        return write_email(content, target, out_dir, options, extra)
    if audience.fitting == "one-page":
        from .fitting import render_fitted

        return render_fitted(content, target, out, options, extra)
    if target.format == "html":
        from .web import write_page

        return write_page(content, target, out_dir, options, extra)
    html, L = build_html(content, target, options, **extra)
    if target.format == "docx":
        from ..files import atomic_write
        from .word import render_docx

        redline = None
        if options.since is not None:  # build --since: the changes as Word tracked changes
            from .redline import redline_for

            redline = redline_for(content, target, options)
        docx = render_docx(html, reference=options.reference_docx, lang=target.lang, epoch=source_date(content, options), redline=redline)
        problems = L.fallbacks + docx.problems
        refused = strict_failures(problems) if options.strict else []
        if refused:
            raise BriefgenError(refused + [Problem(str(out), 0, "not written: --strict refuses warnings")])
        atomic_write(out, docx.data)
        return Artifact(target, out, docx.pages, problems)
    from .pdf import render_document, write_pdf

    source = audience.template_name(target)
    if audience.fitting == "fill-pages" and "fill" in extra:  # the short brief: the loosest type that fills it
        from .filling import fill_pages

        def layout(fill):
            nonlocal L
            html, L = build_html(content, target, options, **{**extra, "fill": asdict(fill)})
            return render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options), source=source)

        try:
            doc, _ = fill_pages(layout, target.lang, target.name)
        except BriefgenError as exc:  # it does not fit: with overrides in play, name them
            raise BriefgenError([layout_problem(target, p.message, options) if p.path == target.name else p for p in exc.problems]) from None
    else:
        doc = render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options), source=source)
    wrong = audience.check_pages(target, len(doc.pages)) if audience.check_pages else None
    if wrong:
        raise BriefgenError([layout_problem(target, wrong, options)])
    doc.briefgen_problems = L.fallbacks + doc.briefgen_problems
    pages = write_pdf(doc, out, strict=options.strict, archive=options.archive)
    return Artifact(target, out, pages, doc.briefgen_problems)


def _render_pages(content: Content, target: Target, options: RenderOptions) -> tuple[list[bytes], list[Problem], list[str]]:
    """Render the pages TARGET is assembled from, here (no build shares them): their PDFs, warnings and notes."""
    import tempfile

    from ..audiences.select import page_targets

    pages, warnings, notes = [], [], []
    with tempfile.TemporaryDirectory(prefix="briefgen-pages-") as scratch:
        for source in page_targets(content.report, target):
            artifact = render_target(content, source, Path(scratch), options)
            pages.append(artifact.pdf)
            warnings += [w for w in artifact.warnings if w not in warnings]
            notes += [f"{source.name}: {n}" for n in artifact.notes]
    return pages, warnings, notes


def require_coverage(content: Content, langs: list[str], templates: Path | None = None) -> None:
    """Fail if the fonts lack a character LANGS' text uses; checked once per content and language."""
    from .fonts import check_coverage

    checked = content.memo.setdefault("coverage", set())
    todo = [code for code in langs if (code, templates) not in checked]
    problems = list(dict.fromkeys(p for code in todo for p in check_coverage(content, code, templates)))
    if problems:
        raise BriefgenError(problems)
    checked.update((code, templates) for code in todo)
