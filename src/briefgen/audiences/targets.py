"""What each audience gets: the documents (targets) a selection of options stands for.

Pure data and selection, no rendering: testable without WeasyPrint or Word.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..errors import UsageError, unknown_value
from ..content.model import Report

PAPERS = {"a4": ("210mm", "297mm"), "letter": ("8.5in", "11in")}
FORMATS = ("pdf", "docx")
LENGTHS = ("short", "full")


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    default_lang: str | None  # None: every language of the content
    formats: tuple[str, ...]
    default_formats: tuple[str, ...]
    per_theme: bool = False


AUDIENCES = {
    a.name: a
    for a in [
        Audience("congress", "brief for US congressional staff (US Letter)", "en", FORMATS, ("pdf",)),
        Audience("ministry", "memo for Japanese ministries (A4, 公用文)", "ja", FORMATS, ("docx",)),
        Audience("onepager", "one-page handout per theme", None, ("pdf",), ("pdf",), per_theme=True),
        Audience("handout", "print-ready pack: Japanese front, English back", None, ("pdf",), ("pdf",)),
        Audience("proof", "bilingual proof for translators and editors", None, ("pdf",), ("pdf",)),
    ]
}


@dataclass(frozen=True)
class Target:
    """One artifact to build."""

    audience: str
    lang: str
    format: str
    paper: str
    variant: str = ""  # short/full for congress; theme id for onepager; "" otherwise
    theme: str | None = None
    themes: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = field(default=())

    @property
    def name(self) -> str:
        """The artifact's path inside the output folder."""
        stem = {
            "congress": f"brief-{self.variant}",
            "ministry": "memo",
            "onepager": f"{self.variant}",
            "handout": "handout-pack",
            "proof": "proof",
        }[self.audience]
        lang = "" if self.audience == "handout" else f".{self.lang}"
        return f"{self.audience}/{stem}{lang}.{self.paper}.{self.format}" if self.format == "pdf" else f"{self.audience}/{stem}{lang}.{self.format}"

    def option(self, key: str, default: str = "") -> str:
        return dict(self.options).get(key, default)


def default_paper(lang: str) -> str:
    return "a4" if lang == "ja" else "letter"


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
    for length in lengths or []:
        if length not in LENGTHS:
            raise unknown_value("--length", length, "unknown length", list(LENGTHS))
    for name in audiences or []:
        if name not in AUDIENCES:
            raise unknown_value("--audience", name, "unknown audience", list(AUDIENCES))
    theme_ids = []
    for key in themes or []:
        try:
            theme_ids.append(report.theme(key).id)
        except KeyError:
            close = difflib.get_close_matches(key.lower(), [t.id for t in report.themes], n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise UsageError(
                f"--theme {key}: no such theme; {hint}choose an id or number: {', '.join(f'{t.number}={t.id}' for t in report.themes)}"
            ) from None
    opts = tuple(sorted((options or {}).items()))
    explicit = bool(audiences)
    names = audiences or ["congress", "ministry", "onepager", "handout"]
    targets: list[Target] = []
    for name in names:
        aud = AUDIENCES[name]
        fmts = [f for f in (formats or (aud.default_formats if explicit else _default_set_formats(name))) if f in aud.formats]
        if formats and not fmts:
            raise UsageError(f"--format {','.join(formats)}: the {name} audience makes {', '.join(aud.formats)} only")
        if name == "handout":
            for paper in papers or ["a4"]:
                # Report order, whatever order --theme named them in: a pack reads like the report.
                pack = tuple(t.id for t in report.themes if not theme_ids or t.id in theme_ids)
                targets.append(Target(name, report.info.source_lang, "pdf", paper, themes=pack, options=opts))
            continue
        if aud.per_theme or name == "proof":
            lang_list = langs or ([l for l in languages if l != report.info.source_lang] if name == "proof" else languages)
        else:
            lang_list = langs or [aud.default_lang if aud.default_lang in languages else languages[0]]
        for lang in lang_list:
            if name == "proof" and lang == report.info.source_lang:
                continue  # a proof sets a translation beside its source; the source has none
            paper_list = papers or [("letter" if name == "congress" else "a4") if name in ("congress", "ministry") else default_paper(lang)]
            for fmt in fmts:
                for paper in paper_list if fmt == "pdf" else [paper_list[0]]:
                    if name == "congress":
                        variants = lengths or (["short"] if explicit or fmt == "docx" else ["short", "full"])
                        targets += [Target(name, lang, fmt, paper, variant=v, options=opts) for v in variants]
                    elif aud.per_theme:
                        for theme in report.themes:
                            if theme_ids and theme.id not in theme_ids:
                                continue
                            variant = f"{theme.number:02d}-{theme.id}"
                            targets.append(Target(name, lang, fmt, paper, variant=variant, theme=theme.id, options=opts))
                    else:
                        targets.append(Target(name, lang, fmt, paper, options=opts))
    if "proof" in names and not any(t.audience == "proof" for t in targets):
        others = [l for l in languages if l != report.info.source_lang]
        if not others:
            raise UsageError(f"--audience proof: the content is in {report.info.source_lang} only and a proof compares a translation "
                             "with its source; add a language to `languages` in report.yaml first")
        raise UsageError(f"--audience proof: a proof compares a translation with the {report.info.source_lang} source; choose --lang "
                         + " or ".join(others))
    return targets


def _default_set_formats(name: str) -> tuple[str, ...]:
    # `briefgen build` with no options: the congressional brief also as an editable Word copy,
    # the ministry memo also as PDF.
    return {"congress": ("pdf", "docx"), "ministry": ("docx", "pdf")}.get(name, ("pdf",))
