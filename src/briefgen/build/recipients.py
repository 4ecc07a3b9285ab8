"""Build each recipient's documents, an index of them and the print sets: a mail merge, typeset.

Each recipient's documents are ordinary targets of the build (build/runner.py): fingerprinted
on the recipient's own entry and the content, so editing one recipient rebuilds only its files;
built by the same worker pool; written atomically; listed in the manifest. After them, under
the same lock: out/recipients/index.json and index.csv (recipient → files → pages), and one
print set per paper, every document of every recipient in file order, each starting on a new
sheet when printed on both sides.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import __version__
from ..audiences.declaration import RECIPIENTS_FOLDER, Target
from ..audiences.recipients import recipient_targets
from ..content.recipients import Recipient, RecipientsFile, campaign_tags
from ..content.source import Content
from ..errors import BriefgenError, Problem
from ..files import atomic_write
from ..render.options import RenderOptions
from .runner import BuildResult, Outcome, build_targets, code_and_templates, is_current, sha256_file

INDEX = f"{RECIPIENTS_FOLDER}/index"


@dataclass
class Planned:
    """One recipient's documents to build, or why it gets none."""

    recipient: Recipient
    targets: list[Target] = field(default_factory=list)
    message: str | None = None


@dataclass
class RecipientsBuild:
    result: BuildResult
    plan: list[Planned]
    written: list[str] = field(default_factory=list)  # index and print sets, when this build wrote them

    def summary(self) -> str:
        documents = sum(len(p.targets) for p in self.plan)
        return f"{len(self.plan)} recipients, {documents} documents: {self.result.summary()}"


def plan_recipients(content: Content, book: RecipientsFile, *, only: list[str] | None = None, audiences: list[str] | None = None) -> list[Planned]:
    """Return each chosen recipient's documents (those ONLY names, if given; the AUDIENCES' documents, if given)."""
    chosen = book.recipients
    if only:
        ids = [r.id for r in book.recipients]
        unknown = [i for i in only if i not in ids]
        if unknown:
            raise BriefgenError([Problem("", 0, f"--only {', '.join(unknown)}: no such recipient; choose from {_some(sorted(ids), unknown[0])}")])
        chosen = [r for r in book.recipients if r.id in only]
    plan = []
    for recipient in chosen:
        tags = campaign_tags(book.campaign, content.report.info.id, recipient)
        targets, message = recipient_targets(content, recipient, tags, only_audiences=audiences)
        plan.append(Planned(recipient, targets, message))
    return plan


def _some(ids: list[str], wanted: str, shown: int = 10) -> str:
    """Return up to SHOWN of IDS for a message (a recipients file may hold thousands), with the closest to WANTED."""
    import difflib

    close = difflib.get_close_matches(wanted, ids, n=1)
    listed = ", ".join(ids[:shown]) + (f" and {len(ids) - shown:,} more" if len(ids) > shown else "")
    return listed + (f" (did you mean {close[0]}?)" if close else "")


def build_recipients(
    content: Content,
    plan: list[Planned],
    out_dir: Path,
    options: RenderOptions,
    *,
    whole: bool = True,
    jobs: int | None = None,
    force: bool = False,
    report: Callable[[Outcome], None] = lambda o: None,
    notify: Callable[[str], None] = lambda message: None,
) -> RecipientsBuild:
    """Build the documents PLAN lists; when it is the WHOLE recipients file, also the index and the print sets."""
    done = RecipientsBuild(BuildResult(), plan)

    def finish(result: BuildResult, entries: dict[str, dict]) -> None:
        if not whole:  # the index and the print sets cover the whole file: a partial build leaves them be
            return
        done.written.extend(write_index(out_dir, plan, entries))
        if not result.failed:  # a print set missing a recipient would be sent as if complete
            done.written.extend(write_print_sets(content, out_dir, plan, entries, options))

    targets = [t for p in plan for t in p.targets]
    done.result = build_targets(content, targets, out_dir, options, jobs=jobs, force=force, report=report, notify=notify, finish=finish)
    return done


def write_index(out_dir: Path, plan: list[Planned], entries: dict[str, dict]) -> list[str]:
    """Write out/recipients/index.json and index.csv: recipient → files → pages; return their paths."""
    rows = []
    for p in plan:
        r = p.recipient
        files = [{"path": t.name, "pages": entries[t.name]["pages"]} for t in p.targets if t.name in entries]
        rows.append({"id": r.id, "name": r.name.get(r.language), "kind": r.kind, "audience": r.edition, "language": r.language,
                     "files": files, **({"message": p.message} if p.message else {})})
    (out_dir / RECIPIENTS_FOLDER).mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / f"{INDEX}.json", (json.dumps({"recipients": rows}, ensure_ascii=False, indent=2) + "\n").encode())
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "name", "kind", "audience", "language", "file", "pages"])
    for row in rows:
        for f in row["files"] or [{"path": "", "pages": 0}]:
            writer.writerow([row["id"], row["name"], row["kind"], row["audience"], row["language"], f["path"], f["pages"]])
    atomic_write(out_dir / f"{INDEX}.csv", buf.getvalue().encode())
    return [f"{INDEX}.json", f"{INDEX}.csv"]


def print_set_name(paper: str) -> str:
    return f"{RECIPIENTS_FOLDER}/print-set.{paper}.pdf"


def write_print_sets(content: Content, out_dir: Path, plan: list[Planned], entries: dict[str, dict], options: RenderOptions) -> list[str]:
    """Write one print set per paper: every recipient's documents in file order, each padded to whole sheets.

    A document that ends on an odd page gets a blank back (marked as blank on purpose, by the
    `blank_page` label), so on a duplex printer every document, and so every recipient, starts
    on the front of a new sheet. One file per paper, because a print job runs on one paper.
    Fingerprinted on its parts' bytes: a set whose parts did not change is not rewritten.
    """
    cache: dict = {}
    written = []
    parts_by_paper: dict[str, list[Target]] = {}
    for p in plan:
        for t in p.targets:
            if t.name in entries:
                parts_by_paper.setdefault(t.paper, []).append(t)
    blanks: dict[tuple[str, str], bytes] = {}
    for paper, parts in parts_by_paper.items():
        name = print_set_name(paper)
        h = hashlib.sha256(f"briefgen {__version__}\n{name}\n".encode())
        for t in parts:
            h.update(f"{t.name} {entries[t.name]['sha256']} {t.lang}\n".encode())
        h.update(code_and_templates(options, cache).encode())  # the blank page's template and label
        inputs = h.hexdigest()
        if is_current(entries.get(name), out_dir, inputs):
            continue
        data, pages = _assemble(content, out_dir, parts, options, blanks)
        atomic_write(out_dir / name, data)
        entries[name] = {"path": name, "audience": None, "lang": "+".join(dict.fromkeys(t.lang for t in parts)), "format": "pdf",
                         "paper": paper, "variant": "print-set", "themes": None, "pages": pages, "bytes": len(data),
                         "sha256": sha256_file(out_dir / name), "inputs": inputs,
                         "recipients": list(dict.fromkeys(t.recipient_id for t in parts))}
        written.append(name)
    return written


CHUNK = 25  # parts joined per intermediate file: the final join holds the chunks, not every part, open


def _assemble(content: Content, out_dir: Path, parts: list[Target], options: RenderOptions, blanks: dict) -> tuple[bytes, int]:
    """Return the print set of PARTS as PDF bytes (the same bytes for the same parts) and its page count.

    pikepdf keeps every source open until the joined file is saved, so joining 500 documents at
    once took about 1.5 MB each (900 MB): the parts are joined in chunks of CHUNK first.
    """
    import tempfile

    pieces: list = []
    for t in parts:
        pieces.append(out_dir / t.name)
        if _page_count(out_dir / t.name) % 2:
            key = (t.lang, t.paper)
            if key not in blanks:
                blanks[key] = _blank_page(content, t, options)
            pieces.append(blanks[key])
    if len(pieces) <= CHUNK:
        return _join(pieces, f"Print set: {len(parts)} documents")
    with tempfile.TemporaryDirectory(prefix="briefgen-print-set-") as scratch:
        chunks = []
        for i in range(0, len(pieces), CHUNK):
            chunk = Path(scratch) / f"{i:06d}.pdf"
            chunk.write_bytes(_join(pieces[i:i + CHUNK], "")[0])
            chunks.append(chunk)
        return _join(chunks, f"Print set: {len(parts)} documents")


def _page_count(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _join(pieces: list, title: str) -> tuple[bytes, int]:
    """Return PIECES (PDF files, or PDF bytes) as one PDF, saved the same way each time, and its page count."""
    import pikepdf

    with contextlib.ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.Pdf.new())
        for piece in pieces:
            src = stack.enter_context(pikepdf.open(io.BytesIO(piece) if isinstance(piece, bytes) else piece))
            with warnings.catch_warnings():  # links inside a part do not matter on paper
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                pdf.pages.extend(src.pages)
        # A print file, not a reading copy: the parts' tags are left behind (each part keeps its own).
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
        if title:
            pdf.docinfo["/Title"] = title
            pdf.docinfo["/Producer"] = f"briefgen {__version__}"
        buf = io.BytesIO()
        pdf.save(buf, deterministic_id=True)
        return buf.getvalue(), len(pdf.pages)


def _blank_page(content: Content, target: Target, options: RenderOptions) -> bytes:
    """Return a one-page PDF: the back of TARGET's last page, in its language and paper."""
    from ..render.html import asset_roots, build_html
    from ..render.pdf import render_document
    from ..render.templates import BUILTIN_TEMPLATES

    html, _ = build_html(content, target, options, template="recipients/blank.html")
    doc = render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options), source="recipients/blank.html")
    return doc.write_pdf()
