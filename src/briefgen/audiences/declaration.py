"""What an audience is: a declaration of the documents it gets, and the registry of every declared audience.

An audience module (one per audience in this package, or a test's) calls `register(Audience(...))`;
target selection, file names, fingerprints, the build and the CLI read the registry and never
name an audience. Pure data: no rendering, so the CLI and a no-op build stay light.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal, Protocol

from ..errors import BriefgenError

if TYPE_CHECKING:
    from ..content.model import ReportInfo
    from ..content.source import Content

PAPERS = {"a4": ("210mm", "297mm"), "letter": ("8.5in", "11in")}
FORMATS = ("pdf", "docx", "html", "email")
# A format whose file name ends other than in the format's own name: an e-mail edition is an HTML file.
EXTENSIONS = {"email": "email.html"}
PAPER_BY_LANG = {"ja": "a4"}  # Japanese offices print on A4; elsewhere the default is US Letter


def default_paper(lang: str) -> str:
    """Return the paper documents in LANG are printed on unless an audience fixes one."""
    return PAPER_BY_LANG.get(lang, "letter")


class RenderKit(Protocol):
    """What the render stage hands a context builder: localizers and labels for a language."""

    def localizer(self, lang: str, *, date_style: str | None = None) -> Any: ...

    def words(self, lang: str) -> Any: ...


ContextBuilder = Callable[["Content", "Target", Any, RenderKit], dict]
"""(content, target, render options, kit) → what the audience's template needs beyond the common context."""

RECIPIENTS_FOLDER = "recipients"  # out/recipients/<id>/: each recipient's own documents


@dataclass(frozen=True)
class ForRecipient:
    """An audience's document for one recipient of `briefgen build --recipients`."""

    stem: str  # file-name stem in out/recipients/<id>/
    template: str | None = None  # the personalised template; None: the audience's own, for the recipient's themes
    follows: str | None = None
    """The recommendation field naming who is responsible (us_committees, jp_ministries): this is
    the main document of a recipient of this audience. None: a companion document every
    recipient gets in its language."""
    what: str = ""  # what a recipient follows, for messages: committee, ministry


@dataclass(frozen=True)
class Printed:
    """What an audience's document prints of each recommendation: its changes section (build --since) lists only that."""

    fields: frozenset[str]  # recommendation fields: title, summary, body, key_points, ...
    asks: str  # whose asks it prints: the field of `asks` (congress, ministries)
    theme_label: str = "theme"  # the words.yaml label that names a theme in this document


@dataclass(frozen=True)
class Audience:
    """One audience's documents, declared: everything briefgen needs to select, name and render them."""

    name: str
    description: str  # one line for --help and docs
    template: str  # template path; {variant} is replaced by the length variant
    stem: str  # file-name stem inside the audience's folder; {variant} as above
    rank: int  # place in listings and in the default build (lower first)
    formats: tuple[str, ...] = ("pdf",)
    default_formats: tuple[str, ...] = ("pdf",)  # when the audience is named with --audience
    lang: str | None = None  # default language, for langs="default"
    langs: Literal["default", "each", "translations", "bilingual"] = "default"
    """Which languages get a document: the default one; each language of the content; each
    language but the source; or one document in the source language that also prints the
    first translation (its file name carries no language)."""
    paper: str | None = None  # fixed default paper; None: the language's (default_paper)
    themes: Literal["all", "each", "pack"] = "all"
    """What a document covers: the whole report; one theme (one document per theme); or the
    themes --theme selects (all by default) in report order."""
    lengths: tuple[str, ...] = ()  # length variants (short/full); the first is the default
    default_set: dict[str, tuple[str, ...]] | None = None
    """In `briefgen build` without options: format → length variants built (in this order);
    None: the audience is built only when named."""
    fitting: Literal["none", "one-page", "fill-pages"] = "none"
    """one-page: each sheet fitted to one page (render/fitting.py); fill-pages: a document whose
    context sets `fill` gets the loosest type that fits its pages (render/filling.py)."""
    context: ContextBuilder | None = None
    check_pages: Callable[["Target", int], str | None] | None = None  # a message when a rendering has the wrong length
    translation_needed: str = "it sets a translation beside its {source} source"  # why langs="translations" refuses the source
    cost: int = 0  # relative rendering cost: heavier audiences are started first in a parallel build
    recipient: ForRecipient | None = None  # its document for one recipient (briefgen build --recipients)
    printed: Printed | None = None  # None: a changes section lists every change
    pages_from: str | None = None
    """An audience whose one-page documents (fitting="one-page") this audience's documents are
    assembled from, a page per theme and printed language: the pages are joined, never laid out
    again (render/pack.py); the template then gives only the document's title and language."""
    variant_options: tuple[str, ...] = ()
    """Build options that change this audience's documents beyond the archive format (see
    VARIANT_WORDS): each set one adds a word to the file name, so the variant never replaces the
    plain document."""

    def printed_langs(self, info: ReportInfo, target: Target) -> list[str]:
        """Return the languages TARGET's document prints, in print order."""
        if self.langs == "bilingual":
            return [info.source_lang] + [lang for lang in info.languages if lang != info.source_lang][:1]
        return [target.lang]

    def template_name(self, target: Target) -> str:
        if target.recipient and self.recipient and self.recipient.template:
            return self.recipient.template
        return self.template.format(variant=target.variant)


# Build options that make a variant of a document, and the word each adds to its file name, in
# file-name order: handout-pack.a4.print.pdf, memo.ja.both.docx, brief-short.en.letter.archive.pdf.
# "archive" applies to every PDF; the others to audiences that list them in `variant_options`.
VARIANT_WORDS = {"print_marks": "print", "date_style": None, "archive": "archive"}  # None: the value itself
PLAIN_DATE_STYLE = "wareki"
DATED_LANG = "ja"  # --date-style chooses between Japanese calendars; other languages print western dates


_REGISTRY: dict[str, Audience] = {}
_discovered = False


def register(audience: Audience) -> Audience:
    """Add AUDIENCE to the registry (replacing one of the same name) and return it."""
    _REGISTRY[audience.name] = audience
    return audience


def unregister(name: str) -> None:
    """Remove the audience NAME (a test's throwaway audience, say)."""
    _REGISTRY.pop(name, None)


def audiences() -> dict[str, Audience]:
    """Return every registered audience by name, in rank order; the built-in ones load on first use."""
    global _discovered
    if not _discovered:
        _discovered = True
        from .. import audiences as package

        for module in pkgutil.iter_modules(package.__path__):
            if module.name not in ("declaration", "select"):
                importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items(), key=lambda item: (item[1].rank, item[0])))


def all_lengths() -> list[str]:
    """Return every length variant some audience declares, in rank order."""
    return list(dict.fromkeys(length for a in audiences().values() for length in a.lengths))


def audience(name: str) -> Audience:
    """Return the audience NAME."""
    found = audiences().get(name)
    if found is None:
        raise BriefgenError(f"--audience {name}: unknown audience; choose one of {', '.join(audiences())}")
    return found


@dataclass(frozen=True)
class Target:
    """One artifact to build."""

    audience: str
    lang: str
    format: str
    paper: str
    variant: str = ""  # a length (short/full), or NN-theme-id for one document per theme; "" otherwise
    theme: str | None = None
    themes: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = field(default=())
    recipient: str = ""
    """A recipient's document: its entry in the recipients file as canonical JSON, so that the
    fingerprint changes with that entry and no other (content/recipients.py, record)."""

    @property
    def declaration(self) -> Audience:
        return audience(self.audience)

    @property
    def recipient_id(self) -> str:
        return json.loads(self.recipient)["id"] if self.recipient else ""

    @property
    def theme_ids(self) -> tuple[str, ...]:
        """The themes this document covers, in print order; () when it covers the whole report."""
        return self.themes or ((self.theme,) if self.theme else ())

    @property
    def name(self) -> str:
        """The artifact's path inside the output folder."""
        decl = self.declaration
        if self.recipient:
            return f"{RECIPIENTS_FOLDER}/{self.recipient_id}/{decl.recipient.stem}.{self.lang}.{self.paper}.{self.format}"
        stem = decl.stem.format(variant=self.variant)
        lang = "" if decl.langs == "bilingual" else f".{self.lang}"
        paper = f".{self.paper}" if self.format == "pdf" else ""
        words = "".join(f".{word}" for word in self.variant_words())
        return f"{self.audience}/{stem}{lang}{paper}{words}.{EXTENSIONS.get(self.format, self.format)}"

    def variant_words(self) -> list[str]:
        """Return the words the build options add to this document's file name (see VARIANT_WORDS)."""
        decl, options, words = self.declaration, dict(self.options), []
        for key, word in VARIANT_WORDS.items():
            value = options.get(key)
            if not value or (key == "date_style" and (value == PLAIN_DATE_STYLE or self.lang != DATED_LANG)):
                continue
            if (key == "archive" and self.format == "pdf") or key in decl.variant_options:
                words.append(word or value)
        return words

    def option(self, key: str, default: str = "") -> str:
        return dict(self.options).get(key, default)
