"""The recipients file: who gets a personalised edition, read and checked like the content (file:line errors)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..errors import BriefgenError, Problem
from .load import validate
from .model import Slug, Text
from .source import Content, read_yaml

Kind = Literal["member-office", "committee", "ministry", "organisation"]
HONORIFICS = ("御中", "殿", "様")  # 御中 to an office, 殿/様 to a named person
AUDIENCE_BY_LANG = {"en": "congress", "ja": "ministry"}
FILE_NAME = "recipients.yaml"


class Recipient(BaseModel):
    """One office, committee, ministry or organisation that gets its own edition."""

    model_config = ConfigDict(extra="forbid")
    id: Slug
    """Folder name of the recipient's files: out/recipients/<id>/."""
    kind: Kind
    name: Text
    """The recipient's name, `{en: ..., ja: ...}`; printed in the address block."""
    address: list[str] = []
    """Address lines, printed under the name."""
    salutation: str | None = None
    """English: the greeting line (default "Dear colleagues,"); Japanese: 御中, 殿 or 様 (default 御中)."""
    language: Literal["en", "ja"]
    follows: list[str] = []
    """Committees (us_committees) or ministries (jp_ministries) as the content names them, in either language."""
    note: str | None = None
    """A short personal note printed under the address block."""
    audience: Literal["congress", "ministry"] | None = None
    """congress (English brief) or ministry (Japanese memo); default by language."""
    paper: Literal["letter", "a4"] | None = None
    example: bool = False
    """True for an entry made up to show the format (an address not checked): its documents say so."""

    @property
    def edition(self) -> str:
        """Return the kind of document this recipient gets: congress or ministry."""
        return self.audience or AUDIENCE_BY_LANG[self.language]


class Campaign(BaseModel):
    """The campaign tags of the report link each recipient's one-pagers print as a QR code."""

    model_config = ConfigDict(extra="forbid")
    source: str = "onepager"
    """utm_source: what carried the link (default: onepager)."""
    name: str | None = None
    """utm_campaign (default: the report's id)."""


class RecipientsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    campaign: Campaign = Campaign()
    recipients: list[Recipient]


def campaign_tags(campaign: Campaign, report_id: str, recipient: Recipient) -> dict[str, str]:
    """Return the UTM tags of RECIPIENT's printed link: who carried it, that it was print, the campaign, the recipient."""
    return {"utm_source": campaign.source, "utm_medium": "print", "utm_campaign": campaign.name or report_id,
            "utm_content": recipient.id}


def record(recipient: Recipient, tags: dict[str, str]) -> str:
    """Return everything RECIPIENT's documents are made of from the recipients file, as canonical JSON."""
    data = {**recipient.model_dump(mode="json", exclude_none=True), "audience": recipient.edition, "utm": tags}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# An address block and a short note: bounds that keep one recipient's page from running to thirty.
LIMITS = {"name": 300, "address": 200, "salutation": 100, "note": 1_000}
MAX_ADDRESS_LINES = 10


def _too_long(path: Path, src, i: int, r: Recipient) -> list[Problem]:
    """Return a problem for each of recipient I's fields beyond its bound (LIMITS, MAX_ADDRESS_LINES)."""
    found = []
    names = r.name.root.items() if isinstance(r.name.root, dict) else [("", r.name.root)]
    values = [(("name", lang) if lang else ("name",), "name", v) for lang, v in names]
    values += [(("address", j), "address", v) for j, v in enumerate(r.address)]
    values += [((key,), key, getattr(r, key)) for key in ("salutation", "note") if getattr(r, key)]
    for loc, key, value in values:
        if len(value) > LIMITS[key]:
            shown = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in loc).replace(".[", "[")
            found.append(Problem(str(path), src.line(("recipients", i, *loc)),
                                 f"recipients[{i}].{shown}: {len(value):,} characters is too long (at most {LIMITS[key]:,} here); shorten it"))
    if len(r.address) > MAX_ADDRESS_LINES:
        found.append(Problem(str(path), src.line(("recipients", i, "address")),
                             f"recipients[{i}].address: {len(r.address):,} lines is too many for an address block (at most {MAX_ADDRESS_LINES}); shorten it"))
    return found


def bodies(content: Content, field: str) -> set[str]:
    """Return every name (in any language) under FIELD (us_committees or jp_ministries) in the content."""
    names = set()
    for _, rec in content.report.recommendations():
        for text in getattr(rec, field):
            names.update([text.root] if isinstance(text.root, str) else text.root.values())
    return names


def default_path(content: Content) -> Path:
    return content.root / FILE_NAME


def load_recipients(content: Content, path: Path | None = None) -> RecipientsFile:
    """Read and check PATH (default: the content folder's recipients.yaml); raise BriefgenError listing every problem."""
    path = Path(path) if path is not None else default_path(content)
    if not os.path.lexists(path):
        raise BriefgenError([Problem(str(path), 0, "no recipients file; write one (see content-format.md, Recipients) or pass --recipients FILE")])
    problems: list[Problem] = []
    src = read_yaml(path, problems)
    if src is not None and not (isinstance(src.data, dict) and "recipients" in src.data):
        # Another YAML file passed by mistake (report.yaml): one line, not a list of its "unknown fields".
        raise BriefgenError([Problem(str(path), 1, "not a recipients file: it has no 'recipients:' list; "
                                                   "pass the recipients file (see content-format.md, Recipients)")])
    data = validate(RecipientsFile, src, problems) if src else None
    if problems or data is None:
        raise BriefgenError(problems)
    if not data.recipients:
        raise BriefgenError([Problem(str(path), src.line(("recipients",)), "recipients: the list is empty, so nothing would be built; add a recipient (see content-format.md, Recipients)")])
    committees, ministries = bodies(content, "us_committees"), bodies(content, "jp_ministries")
    seen: dict[str, int] = {}
    for i, r in enumerate(data.recipients):
        line = src.line(("recipients", i, "id"))
        if r.id in seen:
            problems.append(Problem(str(path), line, f"recipients[{i}].id: '{r.id}' is already used on line {seen[r.id]}; give each recipient its own id"))
        seen.setdefault(r.id, line)
        known = ministries if r.edition == "ministry" else committees
        what = "ministry (jp_ministries)" if r.edition == "ministry" else "committee (us_committees)"
        for j, name in enumerate(r.follows):
            if name not in known:
                problems.append(Problem(str(path), src.line(("recipients", i, "follows", j)),
                                        f"recipients[{i}].follows[{j}]: '{name}' is no {what} the content names; spell it as in the theme files"))
        if r.language == "ja" and r.salutation is not None and r.salutation not in HONORIFICS:
            problems.append(Problem(str(path), src.line(("recipients", i, "salutation")),
                                    f"recipients[{i}].salutation: '{r.salutation}' is not 御中, 殿 or 様; write one of them"))
        problems += _too_long(path, src, i, r)
        if r.name.get(r.language) is None:
            problems.append(Problem(str(path), src.line(("recipients", i, "name")), f"recipients[{i}].name: no {r.language} name; add {r.language}:"))
    if problems:
        raise BriefgenError(problems)
    return data
