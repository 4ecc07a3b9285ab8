"""Which targets a selection of options stands for, read from the audience declarations.

Pure data and selection, no rendering: testable without WeasyPrint or Word.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Iterator

from ..errors import UsageError, unknown_value
from .declaration import FORMATS, PAPERS, Audience, Target, all_lengths, default_paper
from .declaration import audiences as registered

if TYPE_CHECKING:
    from ..content.model import Report


def select_targets(
    report: Report,
    *,
    audiences: list[str] | None = None,
    langs: list[str] | None = None,
    formats: list[str] | None = None,
    papers: list[str] | None = None,
    lengths: list[str] | None = None,
    themes: list[str] | None = None,
    options: dict[str, str] | None = None,
) -> list[Target]:
    """Return the targets the options select; no option means the default set."""
    registry = registered()  # the parameter `audiences` names the ones asked for
    _check_choices(report, registry, audiences, langs, formats, papers, lengths)
    theme_ids = _theme_ids(report, themes)
    opts = tuple(sorted((options or {}).items()))
    names = audiences or [a.name for a in registry.values() if a.default_set is not None]
    if formats and not audiences:  # --format alone: the audiences of the default set that make it
        names = [name for name in names if set(formats) & set(registry[name].formats)]
        if not names:
            makers = [a.name for a in registry.values() if set(formats) & set(a.formats)]
            raise UsageError(f"--format {','.join(formats)}: no audience of the default build makes it; "
                             f"name one with --audience ({', '.join(makers)})")
    targets: list[Target] = []
    for name in names:
        found = list(_targets(registry[name], report, langs, formats, papers, lengths, theme_ids, opts))
        if not found and registry[name].langs == "translations":
            source = report.info.source_lang
            others = [lang for lang in report.info.languages if lang != source]
            reason = registry[name].translation_needed.format(source=source)
            if not others:
                raise UsageError(f"--audience {name}: the content is in {source} only and {reason}; "
                                 "add a language to `languages` in report.yaml first")
            raise UsageError(f"--audience {name}: {reason}; choose --lang " + " or ".join(others))
        targets += found
    return targets


def page_targets(report: Report, target: Target) -> list[Target]:
    """Return the one-page documents TARGET is assembled from (its audience's `pages_from`), in page order."""
    decl = target.declaration
    source = registered()[decl.pages_from]
    return [page for theme in target.themes for lang in decl.printed_langs(report.info, target)
            for page in _targets(source, report, [lang], ["pdf"], [target.paper], None, [theme], target.options)]


def _check_choices(report, registry, names, langs, formats, papers, lengths) -> None:
    languages = report.info.languages
    for lang in langs or []:
        if lang not in languages:
            raise unknown_value("--lang", lang, f"the content has no '{lang}'", list(languages))
    for fmt in formats or []:
        if fmt not in FORMATS:
            raise unknown_value("--format", fmt, "unknown format", list(FORMATS))
    for paper in papers or []:
        if paper not in PAPERS:
            raise unknown_value("--paper", paper, "unknown paper", list(PAPERS))
    known_lengths = all_lengths()
    for length in lengths or []:
        if length not in known_lengths:
            raise unknown_value("--length", length, "unknown length", known_lengths)
    for name in names or []:
        if name not in registry:
            raise unknown_value("--audience", name, "unknown audience", list(registry))


def _theme_ids(report: Report, keys: list[str] | None) -> list[str]:
    ids = []
    for key in keys or []:
        try:
            ids.append(report.theme(key).id)
        except KeyError:
            close = difflib.get_close_matches(key.lower(), [t.id for t in report.themes], n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise UsageError(
                f"--theme {key}: no such theme; {hint}choose an id or number: {', '.join(f'{t.number}={t.id}' for t in report.themes)}"
            ) from None
    return ids


def _targets(aud: Audience, report: Report, langs, formats, papers, lengths, theme_ids, opts) -> Iterator[Target]:
    """Yield AUDIENCE's targets: per language, format, paper, then document (length or theme)."""
    fmts = _formats(aud, formats)
    for lang in _languages(aud, report, langs):
        paper_list = papers or [aud.paper or default_paper(lang)]
        for fmt in fmts:
            for paper in paper_list if fmt == "pdf" else paper_list[:1]:  # a Word file is not laid out for a paper
                for doc in _documents(aud, report, fmt, lengths, theme_ids):
                    yield Target(aud.name, lang, fmt, paper, options=opts, **doc)


def _formats(aud: Audience, formats: list[str] | None) -> list[str]:
    # Named or not, an audience gets every document it has in the default set (-a congress: both
    # briefs and the Word copy); an audience outside the default set gets its default formats.
    default = aud.default_formats if aud.default_set is None else tuple(aud.default_set)
    fmts = [f for f in (formats or default) if f in aud.formats]
    if formats and not fmts:
        raise UsageError(f"--format {','.join(formats)}: the {aud.name} audience makes {', '.join(aud.formats)} only")
    return fmts


def _languages(aud: Audience, report: Report, langs: list[str] | None) -> list[str]:
    info = report.info
    if aud.langs == "bilingual":
        return [info.source_lang]
    if aud.langs == "translations":
        return [lang for lang in langs or info.languages if lang != info.source_lang]
    if aud.langs == "each":
        return langs or list(info.languages)
    return langs or [aud.lang if aud.lang in info.languages else info.languages[0]]


def _documents(aud: Audience, report: Report, fmt: str, lengths, theme_ids) -> Iterator[dict]:
    """Yield the variant fields of each document of AUDIENCE in format FMT."""
    if aud.themes == "each":
        for theme in report.themes:
            if not theme_ids or theme.id in theme_ids:
                yield {"variant": f"{theme.number:02d}-{theme.id}", "theme": theme.id}
    elif aud.themes == "pack":
        # Report order, whatever order --theme named them in: a pack reads like the report.
        yield {"themes": tuple(t.id for t in report.themes if not theme_ids or t.id in theme_ids)}
    elif aud.lengths:
        in_default_set = aud.default_set is not None and fmt in aud.default_set
        for length in lengths or (aud.default_set[fmt] if in_default_set else aud.lengths[:1]):
            yield {"variant": length}
    else:
        yield {}
