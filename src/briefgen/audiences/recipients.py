"""What a recipient gets: its documents, chosen by the audiences' declarations, and what each one prints first.

A recipient's main document is the one its audience (congress, ministry) declares with
`ForRecipient(follows=...)`; companion documents (`follows=None`: the one-pager set) go to every
recipient in its language. Pure data, like the declarations: the render stage reads
`recipient_context`, the build stage `recipient_targets`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..content.recipients import Recipient, record
from ..errors import BriefgenError
from .declaration import Audience, Target, audiences, default_paper

if TYPE_CHECKING:
    from ..content.source import Content


def main_audience(name: str) -> Audience:
    """Return the audience NAME, which must declare a main document for a recipient."""
    found = audiences().get(name)
    if found is None or found.recipient is None or found.recipient.follows is None:
        choices = [a.name for a in audiences().values() if a.recipient and a.recipient.follows]
        raise BriefgenError(f"audience {name}: it has no document for one recipient; choose one of {', '.join(choices)}")
    return found


def split(content: Content, follows: list[str], field: str) -> tuple[list, list]:
    """Return the (theme, rec) pairs whose FIELD names one of FOLLOWS, and the others, in report order."""
    wanted = set(follows)
    mine, rest = [], []
    for theme, rec in content.report.recommendations():
        names = {v for t in getattr(rec, field) for v in ([t.root] if isinstance(t.root, str) else t.root.values())}
        (mine if names & wanted else rest).append((theme, rec))
    return mine, rest


def recipient_targets(content: Content, recipient: Recipient, tags: dict[str, str], *, only_audiences: list[str] | None = None) -> tuple[list[Target], str | None]:
    """Return RECIPIENT's documents as targets, or none and why (it follows nothing the report addresses)."""
    main = main_audience(recipient.edition)
    mine, _ = split(content, recipient.follows, main.recipient.follows)
    if not mine:  # an empty brief helps no one: say so and write nothing
        what = main.recipient.what
        plural = f"{what[:-1]}ies" if what.endswith("y") else f"{what}s"
        return [], f"{recipient.id}: follows no {what} this report addresses; nothing written for it (list its {plural} under follows:)"
    data = record(recipient, tags)
    themes = tuple(dict.fromkeys(theme.id for theme, _ in mine))
    lang = recipient.language
    targets = []
    for audience in [main] + [a for a in audiences().values() if a.recipient and a.recipient.follows is None]:
        if only_audiences and audience.name not in only_audiences:
            continue
        paper = recipient.paper or audience.paper or default_paper(lang)
        # A companion covers the recipient's themes; the main document the whole report, re-ordered.
        covered = themes if audience is not main else ()
        targets.append(Target(audience=audience.name, lang=lang, format="pdf", paper=paper, themes=covered, recipient=data))
    return targets, None


def recipient_context(content: Content, target: Target) -> dict:
    """Return what a recipient's main document prints beyond its audience's context: the addressee, its recommendations, the rest."""
    entry = json.loads(target.recipient)
    decl = target.declaration
    follows_field = decl.recipient.follows if decl.recipient else None
    if follows_field is None:
        return {"recipient": _view(entry)}
    mine, rest = split(content, entry.get("follows", []), follows_field)
    return {"recipient": _view(entry), "mine": mine, "rest": rest}


def _view(entry: dict) -> dict:
    """Return the recipient as plain values for the template: name, address, greeting, note."""
    lang = entry["language"]
    name = entry["name"].get(lang, "") if isinstance(entry["name"], dict) else entry["name"]
    default = "御中" if lang == "ja" else "Dear colleagues,"
    return {"id": entry["id"], "kind": entry["kind"], "name": name, "address": list(entry.get("address", [])),
            "salutation": entry.get("salutation") or default, "note": entry.get("note") or "",
            "example": bool(entry.get("example")),
            # A member office or an organisation has no committee or 所管 of its own: its labels say "you follow".
            "office": entry["kind"] in ("member-office", "organisation")}
