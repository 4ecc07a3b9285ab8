"""`briefgen dump`: print the validated content as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import BriefgenError
from .common import ContentOpt, fail


def dump(content: Path = ContentOpt) -> None:
    """Print the validated content as JSON (stable keys mirroring the YAML; see docs/dump.md)."""
    from .. import api  # loaded on use: help and completion stay fast

    try:
        data = api.dump(content)
    except BriefgenError as exc:
        fail(exc)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
