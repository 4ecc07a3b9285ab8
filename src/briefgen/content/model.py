"""The content model: what a report is made of, validated.

Field docstrings double as the content format's reference: they become the JSON Schema's
descriptions that editors show while a translator types.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
NoteId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$", max_length=32)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$", max_length=2000)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]

Role = Literal["chair", "member-jp", "member-us", "staff", "president"]
Addressee = Literal["us-government", "japan-government", "both", "other"]


# A word: two letters, or one of a script that writes words with one (kanji, kana, hangul). A
# plain string without one (85%, 1.55°C, 2026, a URL) reads the same in every language.
_LETTER = re.compile(r"[^\W\d_]{2,}|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_ADDRESS = re.compile(r"https?://\S+|[^@\s]+@\S+")


class Text(RootModel[str | dict[LangCode, str]]):
    """Text in several languages: `{ja: ..., en: ...}`, or one plain string.

    A plain string serves every language when it has no words (`85%`, a URL) or the field is a
    Name. Otherwise it is prose in the source language: the other languages are missing until
    they are written, and `check`, `i18n status` and a build in another language say so.
    """

    names: ClassVar[bool] = False

    def get(self, lang: str) -> str | None:
        """Return the text written for LANG (a plain string for any LANG), or None."""
        if isinstance(self.root, str):
            return self.root
        return self.root.get(lang)

    def in_lang(self, lang: str, source_lang: str) -> str | None:
        """Return what LANG's readers get, or None: a plain string of prose is SOURCE_LANG's text only."""
        if isinstance(self.root, str):
            return self.root if self.universal or lang == source_lang else None
        return self.root.get(lang)

    def has(self, lang: str) -> bool:
        return bool((self.get(lang) or "").strip())

    @property
    def universal(self) -> bool:
        """True when one plain string serves every language: a Name, or a string without words."""
        return isinstance(self.root, str) and (self.names or not _LETTER.search(_ADDRESS.sub("", self.root)))


class Name(Text):
    """A proper name or a citation as printed: one plain string serves every language."""

    names: ClassVar[bool] = True


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class Person(Strict):
    id: Slug
    """How content refers to this person (in `authors` lists)."""
    name: Name
    """Full name as printed (a plain string serves every language)."""
    affiliation: Text
    """Positions and institutions, as printed in the study-group list."""
    role: Role
    """chair, member-jp, member-us, staff or president."""


class Organization(Strict):
    """An organisation credited as an author, e.g. a research division that prepared unsigned text."""

    id: Slug
    """How content refers to it (in `authors` lists, beside people's ids)."""
    name: Name
    """Its name as the report credits it: `{ja: 研究本部, en: Research Division}`."""


class Section(Strict):
    body: list[Text] = Field(min_length=1)
    """Paragraphs, in order."""
    authors: list[Slug] = []
    """Ids of the people (or organisations) who wrote it."""


class Foreword(Strict):
    body: list[Text] = Field(min_length=1)
    """Paragraphs of the foreword (まえがき)."""
    signed: Slug | None = None
    """Id of the person who signs the foreword."""


class Contact(Strict):
    name: Name
    """Who to contact: a person or an office."""
    person: Slug | None = None
    """Id of the person in charge (担当), one of `people`; memos print the name after 以上."""
    email: Email | None = None
    phone: str | None = None
    """Telephone number as it should be printed, e.g. `03-1234-5678` or `+81-3-1234-5678`."""


class Note(Strict):
    id: NoteId
    """The id that text cites as `[^id]`; unique within its theme file."""
    text: Name
    """The citation as printed (without the URL); a plain string serves every language."""
    url: Url | None = None
    """The source's web address, when the report gives one."""


Quote = str | list[str]
"""Verbatim words of the recommendation's body in the source language; a list when they are
not contiguous. Whitespace, footnote markers and [sic] marks are ignored when it is checked."""


def quotes_of(quote: Quote | None) -> list[str]:
    """Return QUOTE as a list of quoted passages."""
    if quote is None:
        return []
    return [quote] if isinstance(quote, str) else list(quote)


class Figure(Strict):
    value: Text
    """The number as printed in the body, with its unit: `85%`, `{ja: 5,500億ドル, en: $550 billion}`.
    Its source-language text must occur in the recommendation's body (a measured number, not a target)."""
    label: Text
    """What the number measures, in a few words."""
    source: Name | None = None
    """Who published the number, as the text names it."""
    year: int | None = Field(default=None, ge=1900, le=2100)
    """The year the number refers to, when the text gives it."""
    quote: Quote | None = None
    """The sentence of the recommendation's body that states the number (source language, verbatim)."""
    priority: int | None = Field(default=None, ge=1)
    """Rank among the short brief's key figures (1 first); leave it out for the others."""


Basis = Literal["authors", "editor"]


class Ask(Strict):
    """One concrete action, with where it comes from."""

    text: Text
    """The action, as an imperative: "Hold hearings on ..." / 「…する」."""
    basis: Basis
    """`authors`: the recommendation asks for this (cite it in `quote`); `editor`: the editor's
    inference from a goal the text states. Editor asks are left out of outputs unless a build
    asks for them (`--editor-asks`), and are then labelled as the editor's suggestions."""
    quote: Quote | None = None
    """Words of the recommendation's body that ask for this (source language, verbatim);
    required when `basis` is `authors`, optional (what the inference rests on) for `editor`."""
    priority: int | None = Field(default=None, ge=1)
    """Rank among the 4-6 asks the short brief puts under "Issues for Congress" (1 first); leave
    it out for the others. Only the authors' asks can have one."""


class Asks(Strict):
    congress: list[Ask] = []
    """Concrete actions for the US Congress (hearings, legislation, appropriations, oversight)."""
    ministries: list[Ask] = []
    """Concrete actions for Japanese ministries."""


class Takeaway(Strict):
    """One of the report's key takeaways, with the recommendations it distills."""

    text: Text
    """The finding in one or two sentences; only what the cited recommendations say."""
    based_on: list[int] = Field(min_length=1)
    """Numbers of the recommendations it distills; any number it states must be in their bodies."""


class Recommendation(Strict):
    number: int = Field(ge=1)
    """1-N, unique across the report and in order."""
    id: Slug
    """Short name, unique in the report."""
    title: Text
    """The recommendation as the authors titled it."""
    authors: list[Slug] = []
    """Ids of the people who wrote it."""
    addressed_to: Addressee
    """Who must act: us-government, japan-government, both or other."""
    summary: Text
    """The editor's distillation of this recommendation's body in 2-3 sentences; only what the
    body says (any number it states must be in the body)."""
    key_points: list[Text] = Field(min_length=1, max_length=5)
    """3-5 short bullets distilled by the editor from this recommendation's body; only what the
    body says (any number they state must be in the body)."""
    body: list[Text] = Field(min_length=1)
    """The full text, paragraph by paragraph."""
    figures: list[Figure] = []
    """Key numbers the body states."""
    notes: list[Note] = []
    """Footnotes cited in this recommendation."""
    us_committees: list[Text] = []
    """Congressional committees of jurisdiction."""
    jp_ministries: list[Text] = []
    """Japanese ministries responsible (所管府省)."""
    asks: Asks = Asks()
    """Concrete actions for Congress and for ministries, each with its `basis` (authors or editor)."""


class Challenge(Strict):
    title: Text
    """The challenge (課題) heading."""
    body: list[Text] = Field(min_length=1)
    """Paragraphs."""
    authors: list[Slug] = []
    """Ids of the people who wrote it."""


class Theme(Strict):
    """One chapter of the report: `content/themes/NN-slug.yaml`."""

    id: Slug
    """Short name used on the command line (`--theme energy`)."""
    number: int = Field(ge=1)
    """Chapter number."""
    title: Text
    """Chapter title."""
    short_title: Text
    """A few words for running heads and handout headers."""
    framing: Text | None = None
    """Two or three lines that frame the theme on handouts: the editor's distillation of the
    chapter's intro and challenges (only what they say)."""
    intro: Section | None = None
    """The chapter's opening text, before its challenges and recommendations."""
    challenges: list[Challenge] = []
    """The challenges (課題) the chapter sets out."""
    notes: list[Note] = []
    """Footnotes cited in the intro or the challenges."""
    recommendations: list[Recommendation] = Field(min_length=1)
    """The chapter's recommendations, in order."""

    def all_notes(self) -> list[Note]:
        return [*self.notes, *(n for r in self.recommendations for n in r.notes)]


class Edition(Strict):
    """Which issue of the report this is; reissues keep the report's `id` (its product id)."""

    number: int = Field(ge=1, strict=True)  # strict: YAML `true` is no edition number
    """1 for the first edition; raise it with each reissue."""
    date: dt.date
    """The day this edition was issued, YYYY-MM-DD; outputs print it as "Updated <date>" / 「改訂 <date>」."""
    note: Text | None = None
    """What changed, in one line (optional), e.g. `{en: Figures updated to 2026, ja: 数値を2026年に更新}`."""


class ReportInfo(Strict):
    """The report as a whole: `content/report.yaml`."""

    id: Slug
    """Short name of the report."""
    source_lang: LangCode
    """The language the authors wrote in; translations are checked against it."""
    languages: list[LangCode] = Field(min_length=1)
    """Every language of the content, the source language first."""
    title: Text
    """The title as printed on the cover, in each language: what anyone citing the report looks
    for, so citations (source lines, footers, the memo's subject) use it."""
    short_title: Text | None = None
    """A shorter display title for mastheads; defaults to `title` (document metadata keeps `title`)."""
    subtitle: Text | None = None
    publisher: Name
    """The organisation that publishes the report, its full name as printed."""
    publisher_short: Name | None = None
    """The publisher's short name (e.g. an acronym); defaults to `publisher`."""
    series: Text | None = None
    """The label above a brief's title, e.g. `{en: XYZ Policy Brief, ja: XYZ 政策ブリーフ}`; defaults to "Policy Brief"."""
    group: Text | None = None
    """The body that wrote the report, as it signs (e.g. a study group); printed in bylines and
    the memo's sender block. Leave it out when the publisher's staff wrote the report."""
    role_headings: dict[Role, Text] = {}
    """Headings of the people list by role, where the built-in ones do not fit (e.g.
    `staff: {en: Research staff of XYZ, ja: XYZ 研究本部}`). Roles with nobody are not printed."""
    date: dt.date
    """Publication date, YYYY-MM-DD."""
    edition: Edition | None = None
    """This edition's number and date (and a change note); leave it out for the first edition."""
    url: Url | None = None
    """Where the full report is online; printed and shown as a QR code on handouts."""
    contact: Contact | None = None
    notice: Text | None = None
    """The authors' own disclaimer as printed (it may refer to what surrounds it, e.g. "the group above")."""
    disclaimer: Text | None = None
    """A disclaimer that reads correctly on a page of its own (briefs, handouts); defaults to `notice`."""
    memo_lead: Text | None = None
    """The memo's opening sentence: who sends the recommendations and why (Japanese in 敬体);
    defaults to a neutral sentence."""
    bottom_line: Text | None = None
    """The whole report's bottom line in 2-3 sentences, distilled by the editor from the
    introduction (and the foreword); briefs open with it."""
    key_takeaways: list[Takeaway] = []
    """3-5 findings a reader can stop after, each naming the recommendations it distills."""
    fara_notice: Text | None = None
    """A distribution notice printed on material for US audiences (e.g. a FARA label), if required."""
    foreword: Foreword | None = None
    acknowledgements: Text | None = None
    introduction: Section | None = None
    people: list[Person] = Field(min_length=1)
    """Everyone the report names as an author, member or signatory."""
    organizations: list[Organization] = []
    """Organisations credited as authors of text no person signed; outputs print the credit
    as the report does, e.g. 「（研究本部作成）」 / "(Prepared by the Research Division)"."""


class Term(Strict):
    ja: str
    """The Japanese term as it appears in the source."""
    en: str
    """The preferred English rendering, used verbatim in translations."""
    variants: list[str] = []
    """Other English renderings accepted where the preferred one reads badly (an abbreviation, a singular, an adjective)."""
    note: str | None = None
    """Guidance for translators."""


class Glossary(Strict):
    """Preferred translations of recurring terms: `content/glossary.yaml`."""

    terms: list[Term] = []


class Report(Strict):
    """Everything in a content folder, validated and cross-checked."""

    info: ReportInfo
    themes: list[Theme]
    glossary: Glossary = Glossary()

    def person(self, person_id: str) -> Person | Organization:
        """Return the person, or the organisation, whose id is PERSON_ID."""
        return next(p for p in [*self.info.people, *self.info.organizations] if p.id == person_id)

    def recommendations(self) -> Iterator[tuple[Theme, Recommendation]]:
        for theme in self.themes:
            for rec in theme.recommendations:
                yield theme, rec

    def theme(self, key: str) -> Theme:
        """Return the theme whose id or number is KEY."""
        for theme in self.themes:
            if key in (theme.id, str(theme.number)):
                return theme
        raise KeyError(key)
