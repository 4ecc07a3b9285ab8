"""Which targets a selection of options stands for, read from the audience declarations.

Pure data and selection, no rendering: testable without WeasyPrint or Word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..errors import BriefgenError
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
    targets: list[Target] = []
    for name in names:
        found = list(_targets(registry[name], report, bool(audiences), langs, formats, papers, lengths, theme_ids, opts))
        if not found and registry[name].langs == "translations":
            source = report.info.source_lang
            others = [lang for lang in report.info.languages if lang != source]
            reason = registry[name].translation_needed.format(source=source)
            raise BriefgenError(f"--audience {name}: {reason}; choose --lang " + " or ".join(others))
        targets += found
    return targets


def _check_choices(report, registry, names, langs, formats, papers, lengths) -> None:
    languages = report.info.languages
    for lang in langs or []:
        if lang not in languages:
            raise BriefgenError(f"--lang {lang}: the content has no '{lang}'; choose one of {', '.join(languages)}")
    for fmt in formats or []:
        if fmt not in FORMATS:
            raise BriefgenError(f"--format {fmt}: unknown format; choose {', '.join(FORMATS[:-1])} or {FORMATS[-1]}")
    for paper in papers or []:
        if paper not in PAPERS:
            raise BriefgenError(f"--paper {paper}: unknown paper; choose {' or '.join(PAPERS)}")
    known_lengths = all_lengths()
    for length in lengths or []:
        if length not in known_lengths:
            raise BriefgenError(f"--length {length}: unknown length; choose {' or '.join(known_lengths)}")
    for name in names or []:
        if name not in registry:
            raise BriefgenError(f"--audience {name}: unknown audience; choose one of {', '.join(registry)}")


def _theme_ids(report: Report, keys: list[str] | None) -> list[str]:
    ids = []
    for key in keys or []:
        try:
            ids.append(report.theme(key).id)
        except KeyError:
            raise BriefgenError(
                f"--theme {key}: no such theme; choose an id or number: {', '.join(f'{t.number}={t.id}' for t in report.themes)}"
            ) from None
    return ids


def _targets(aud: Audience, report: Report, named: bool, langs, formats, papers, lengths, theme_ids, opts) -> Iterator[Target]:
    """Yield AUDIENCE's targets: per language, format, paper, then document (length or theme)."""
    fmts = _formats(aud, named, formats)
    for lang in _languages(aud, report, langs):
        paper_list = papers or [aud.paper or default_paper(lang)]
        for fmt in fmts:
            for paper in paper_list if fmt == "pdf" else paper_list[:1]:  # a Word file is not laid out for a paper
                for doc in _documents(aud, report, named, fmt, lengths, theme_ids):
                    yield Target(aud.name, lang, fmt, paper, options=opts, **doc)


def _formats(aud: Audience, named: bool, formats: list[str] | None) -> list[str]:
    default = aud.default_formats if named or aud.default_set is None else tuple(aud.default_set)
    fmts = [f for f in (formats or default) if f in aud.formats]
    if formats and not fmts:
        raise BriefgenError(f"--format {','.join(formats)}: the {aud.name} audience makes {', '.join(aud.formats)} only")
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


def _documents(aud: Audience, report: Report, named: bool, fmt: str, lengths, theme_ids) -> Iterator[dict]:
    """Yield the variant fields of each document of AUDIENCE in format FMT."""
    if aud.themes == "each":
        for theme in report.themes:
            if not theme_ids or theme.id in theme_ids:
                yield {"variant": f"{theme.number:02d}-{theme.id}", "theme": theme.id}
    elif aud.themes == "pack":
        # Report order, whatever order --theme named them in: a pack reads like the report.
        yield {"themes": tuple(t.id for t in report.themes if not theme_ids or t.id in theme_ids)}
    elif aud.lengths:
        in_default_set = not named and aud.default_set is not None and fmt in aud.default_set
        for length in lengths or (aud.default_set[fmt] if in_default_set else aud.lengths[:1]):
            yield {"variant": length}
    else:
        yield {}
