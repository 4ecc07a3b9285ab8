"""What a recipient's edition of an audience's document is: declared by the audience module, read by build/editions.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..errors import BriefgenError

if TYPE_CHECKING:
    from ..content.source import Content


@dataclass(frozen=True)
class EditionKind:
    """How an audience's document is personalised for one recipient."""

    audience: str
    template: str  # the edition's template: receives `recipient`, `mine` and `rest`
    stem: str  # file-name stem in out/recipients/<id>/
    follows: str  # the recommendation field naming who is responsible: us_committees, jp_ministries
    what: str  # what a recipient follows, for messages: committee, ministry
    paper: str  # the default paper
    context: Callable[["Content"], dict] | None = None  # what the template needs beyond the common context


_EDITIONS: dict[str, EditionKind] = {}


def register_edition(kind: EditionKind) -> EditionKind:
    _EDITIONS[kind.audience] = kind
    return kind


def edition_kind(audience: str) -> EditionKind:
    """Return the edition the audience AUDIENCE declares."""
    from .declaration import audiences

    audiences()  # the audience modules register their editions on first use
    found = _EDITIONS.get(audience)
    if found is None:
        raise BriefgenError(f"audience {audience}: it has no per-recipient edition; choose one of {', '.join(sorted(_EDITIONS))}")
    return found
