"""Build a set of targets: incremental, parallel, atomic, with a manifest of what was made.

Each artifact's inputs (the content files it uses, templates, fonts, options, briefgen's
version) are fingerprinted; an artifact whose fingerprint and file are unchanged is skipped,
so a no-op build never imports WeasyPrint. Writers put each file in place by renaming a
temporary file, so a failed or interrupted build leaves the previous good artifact.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from .. import __version__
from ..audiences.declaration import Target
from ..render.options import RenderOptions, source_date
from ..errors import BriefgenError, Problem
from ..files import atomic_write, read_regular
from .outdir import die_with_parent, locked, sweep_temporaries
from ..content.source import Content
from ..paths import BUILTIN_TEMPLATES

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "briefgen-manifest/1"


@dataclass
class Outcome:
    """What became of one target."""

    target: Target
    status: str  # built, skipped, failed
    entry: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pdf: bytes | None = None  # a one-pager's PDF before print marks, for the packs joined from it


@dataclass
class _Job:
    """One rendering the build runs: a target, or a page a pack needs that nobody asked for."""

    target: Target
    inputs: str | None  # its fingerprint; None: a pack's page only, neither kept in the output nor reported
    keep: bool = False  # hand its PDF back for the packs joined from it
    pages: tuple[str, ...] = ()  # a pack: the names of the targets whose pages it joins, in order


@dataclass
class BuildResult:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        return f"built {self.count('built')}, skipped {self.count('skipped')}, failed {self.count('failed')} in {self.seconds:.2f} s"


# -- fingerprints -------------------------------------------------------------------------------

def _file_digest(path: Path, cache: dict) -> str:
    key = str(path)
    if key not in cache:
        stat = path.stat()
        if stat.st_size > 1_000_000:
            # Fonts: size and mtime are enough to notice a replaced file, and hashing 19 MB of
            # fonts on every no-op build would cost more than the whole no-op budget.
            cache[key] = f"{stat.st_size}:{stat.st_mtime_ns}"
        else:
            try:
                cache[key] = hashlib.sha256(read_regular(path)).hexdigest()
            except OSError as exc:  # unreadable: the renderer that needs it says so, with its name
                cache[key] = f"unreadable:{exc.errno}"
    return cache[key]


def _tree_digest(root: Path, cache: dict) -> str:
    key = ("tree", str(root))
    if key not in cache:  # one walk per folder and build, not one per target
        cache[key] = _walk_digest(root, cache)
    return cache[key]


def _walk_digest(root: Path, cache: dict) -> str:
    h = hashlib.sha256()
    real_root = root.resolve()
    skip = cache.get("skip")  # the output folder, when it lies inside an input folder
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        real = path.resolve()
        if skip and str(real).startswith(skip + os.sep):
            continue
        # A link out of the folder is never read (rendering refuses it too): where it leads stands for it.
        digest = _file_digest(path, cache) if real.is_relative_to(real_root) else f"outside:{real}"
        h.update(str(path.relative_to(root)).encode() + b"\0" + digest.encode() + b"\n")
    return h.hexdigest()


def target_inputs(content: Content, target: Target) -> list[Path]:
    """Return the content files TARGET's output depends on."""
    files = [content.report_file.path]
    lock = content.root / ".i18n-lock.yaml"
    if target.theme:  # a document of one theme depends on that theme file only
        files.append(content.theme_file(target.theme).path)
    else:
        files += [src.path for src in content.theme_files]
    if lock.is_file():
        files.append(lock)
    return files


def fingerprint(content: Content, target: Target, options: RenderOptions, cache: dict) -> str:
    """Return a digest of everything TARGET's output is made from."""
    h = hashlib.sha256()
    h.update(f"briefgen {__version__}\n".encode())
    h.update(json.dumps(asdict(target), sort_keys=True, default=str).encode())
    opts = {
        "allow_missing": options.allow_missing,
        "date_style": options.date_style,
        "addressee": options.addressee,
        "print_marks": options.print_marks,
        "archive": options.archive,
        "epoch": source_date(content, options),
        "strict": options.strict,
        "editor_asks": options.editor_asks,
        "since": [options.since.spec, options.since.digest, options.since.author] if options.since else None,
    }
    h.update(json.dumps(opts, sort_keys=True).encode())
    for path in target_inputs(content, target):
        h.update(_file_digest(path, cache).encode())
    h.update(code_and_templates(options, cache).encode())
    if options.reference_docx is not None and target.format == "docx":
        h.update(_file_digest(options.reference_docx, cache).encode())
    return h.hexdigest()


def code_and_templates(options: RenderOptions, cache: dict) -> str:
    """Return a digest of the templates (built-in and the user's) and of the code that renders (the whole package)."""
    h = hashlib.sha256()
    h.update(_tree_digest(BUILTIN_TEMPLATES, cache).encode())
    h.update(_tree_digest(Path(__file__).parents[1], cache).encode())
    if options.templates is not None:
        h.update(_tree_digest(options.templates, cache).encode())
    return h.hexdigest()


# -- manifest -----------------------------------------------------------------------------------

def read_manifest(out_dir: Path) -> dict[str, dict]:
    """Return the previous manifest's entries by path (empty when there is none or it is unreadable)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {e["path"]: e for e in data.get("artifacts", []) if isinstance(e, dict) and _inside(e.get("path"))}
    except (OSError, ValueError, TypeError, AttributeError):  # AttributeError: not a JSON object
        return {}


def _inside(path) -> bool:
    """True when a manifest PATH names a file inside the output folder (it is hand-editable)."""
    return isinstance(path, str) and bool(path) and not Path(path).is_absolute() and ".." not in Path(path).parts


def write_manifest(out_dir: Path, entries: dict[str, dict]) -> None:
    data = {"format": MANIFEST_FORMAT, "generator": f"briefgen {__version__}", "artifacts": [entries[k] for k in sorted(entries)]}
    atomic_write(out_dir / MANIFEST, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_entry(content: Content, target: Target, out_dir: Path, pages: int, inputs: str) -> dict:
    path = out_dir / target.name
    return {
        "path": target.name,
        "audience": target.audience,
        "lang": "+".join(target.declaration.printed_langs(content.report.info, target)),
        "format": target.format,
        "paper": target.paper,
        "variant": target.variant or None,
        "themes": list(target.theme_ids) or None,
        "pages": pages,
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
        "inputs": inputs,
        **({"recipient": target.recipient_id} if target.recipient else {}),
    }


def is_current(entry: dict | None, out_dir: Path, inputs: str) -> bool:
    if not entry or entry.get("inputs") != inputs:
        return False
    path = out_dir / entry["path"]
    try:
        return path.stat().st_size == entry.get("bytes") and sha256_file(path) == entry.get("sha256")
    except OSError:
        return False


def stale_translations(content: Content, target: Target) -> list[Problem]:
    """Return warnings for the stale translations TARGET would print."""
    info = content.report.info
    langs = [lang for lang in target.declaration.printed_langs(info, target) if lang != info.source_lang]
    used = {str(p) for p in target_inputs(content, target)}
    return [p for lang in langs for p in _stale_fields(content, lang) if p.path in used]


def _stale_fields(content: Content, lang: str) -> list[Problem]:
    """Return i18n's stale_fields for LANG, worked out once per content and lock file (each walks the whole report)."""
    from ..i18n.status import lock_path, stale_fields

    try:
        stat = lock_path(content.root).stat()
        state = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        state = None
    memo = content.memo.setdefault("stale_fields", {})
    if (lang, state) not in memo:
        memo[(lang, state)] = stale_fields(content, lang)
    return memo[(lang, state)]


# -- workers ------------------------------------------------------------------------------------

_worker_content: dict[tuple, Content] = {}


def _render_in_worker(content_dir: str, target: Target, out_dir: str, options: RenderOptions, inputs: str | None,
                      keep: bool = False, pages: list[bytes] | None = None) -> Outcome:
    """Render one target in a worker process, which keeps its content and fonts across targets.

    INPUTS None: a page a pack needs, written to OUT_DIR (scratch) and given no manifest entry.
    KEEP hands the PDF back for packs; PAGES are a pack's pages, as the build made them.
    """
    from ..render.target import render_target
    from ..content.load import load_content

    key = (content_dir,)
    try:
        if key not in _worker_content:
            _worker_content[key] = load_content(content_dir, allow_missing=True)
        content = _worker_content[key]
        stale = stale_translations(content, target)
        if stale and options.strict:
            return Outcome(target, "failed", None, [*stale, Problem(target.name, 0, "stale translations; --strict refuses to print them (confirm them with briefgen i18n confirm)")])
        artifact = render_target(content, target, Path(out_dir), options, pages=pages)
        entry = manifest_entry(content, target, Path(out_dir), artifact.pages, inputs) if inputs is not None else None
        return Outcome(target, "built", entry, stale + artifact.warnings, artifact.notes, artifact.pdf if keep else None)
    except BriefgenError as exc:
        return Outcome(target, "failed", None, exc.problems)
    except OSError as exc:
        return Outcome(target, "failed", None, [Problem(str(Path(out_dir) / target.name), 0, f"cannot write: {exc.strerror or exc}")])


def build_targets(
    content: Content,
    targets: list[Target],
    out_dir: Path,
    options: RenderOptions,
    *,
    jobs: int | None = None,
    force: bool = False,
    report: Callable[[Outcome], None] = lambda o: None,
    notify: Callable[[str], None] = lambda message: None,
    finish: Callable[[BuildResult, dict[str, dict]], None] | None = None,
) -> BuildResult:
    """Build TARGETS into OUT_DIR; one failing target does not stop the others.

    One build at a time per output folder: a second one waits (NOTIFY says so) for the lock.
    FINISH, if given, runs under that lock after the targets, with the manifest's entries by
    path, and may add entries of its own (files made from the targets' files: a print set).
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefgenError([Problem(str(out_dir), 0, f"cannot create the output folder: {exc.strerror}; choose another with --out")]) from None
    with locked(out_dir, notify):
        sweep_temporaries(out_dir)
        return _build_locked(content, targets, out_dir, options, jobs, force, report, finish)


def _build_locked(content: Content, targets: list[Target], out_dir: Path, options: RenderOptions, jobs: int | None, force: bool, report, finish=None) -> BuildResult:
    start = time.perf_counter()
    result = BuildResult()
    previous = read_manifest(out_dir)
    entries = {k: v for k, v in previous.items() if (out_dir / k).is_file()}
    cache: dict = {"skip": os.path.realpath(out_dir)}  # output inside --templates is not an input
    todo: list[tuple[Target, str]] = []
    for target in targets:
        inputs = fingerprint(content, target, options, cache)
        if not force and is_current(previous.get(target.name), out_dir, inputs):
            outcome = Outcome(target, "skipped", previous[target.name])
            result.outcomes.append(outcome)
            report(outcome)
        else:
            todo.append((target, inputs))

    renders, packs, made = _plan(content, todo, {} if force else previous, out_dir, options, cache)  # --force: no page reused either
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(renders) + len(packs)))
    # This build's content, under its absolute path: forked workers inherit it, and neither they
    # nor a later build in this process can pick up another folder's content cached as "content".
    root = str(Path(content.root).resolve())
    _worker_content.clear()
    _worker_content[(root,)] = content
    if renders or packs:
        import tempfile

        # Workers end without running atexit handlers, so WeasyPrint's font folders (about 23 MB
        # each) would stay in the temp directory: whatever a worker still makes goes in a folder
        # this build removes, even after a worker was killed. Pages only a pack needs go there too.
        with tempfile.TemporaryDirectory(prefix="briefgen-build-") as scratch:
            run = _Runner(root, out_dir, Path(scratch) / "pages", options, made, lambda o: _collect([o], result, entries, report))
            if jobs == 1:
                for job in renders:
                    worker, *args = run.call(job)
                    run.finished(job, worker(*args))
                for pack in packs:
                    failure = run.pack_failed(pack)
                    if failure is None:
                        worker, *args = run.call(pack)
                    run.finished(pack, failure or worker(*args))
            else:
                # Heaviest first, so the long documents do not end up alone at the tail.
                renders.sort(key=lambda job: -job.target.declaration.cost)
                _run_pool(content, run, renders, packs, jobs, scratch, options)
    try:
        if finish is not None:
            finish(result, entries)
    finally:  # what was built stays listed even when the finishing step fails
        if entries != previous:  # a build that changed nothing (or only failed) leaves no new files
            try:
                write_manifest(out_dir, entries)
            except OSError as exc:
                raise BriefgenError([Problem(str(out_dir / MANIFEST), 0, f"cannot write: {exc.strerror or exc}")]) from None
    result.seconds = time.perf_counter() - start
    return result


def _warm_parent(content: Content, targets: list[Target], options: RenderOptions) -> bool:
    """Load into this process what the workers forked from it will need; return True if that made its font folder."""
    from ..render.warm import warm_up

    langs = {lang for t in targets if t.format == "pdf" for lang in t.declaration.printed_langs(content.report.info, t)}
    return warm_up(options, sorted({t.declaration.template_name(t) for t in targets}), content, tuple(sorted(langs)))


def _plan(content: Content, todo: list[tuple[Target, str]], previous: dict, out_dir: Path, options: RenderOptions, cache: dict):
    """Return the renderings to run, the packs to join after them, and the pack pages already made.

    A pack joins the one-pagers' own pages (audiences' `pages_from`): those this build renders
    anyway hand their PDF back; a current one-pager's file is that PDF (without print marks or
    the archive format); any other page is rendered as a job of its own, not kept in the output.
    """
    renders = {t.name: _Job(t, i) for t, i in todo if not t.declaration.pages_from}
    packs: list[_Job] = []
    made: dict[str, bytes] = {}
    plain = not options.print_marks and not options.archive
    for target, inputs in todo:
        if not target.declaration.pages_from:
            continue
        from ..audiences.select import page_targets

        sources = page_targets(content.report, target)
        for source in sources:
            if source.name in renders:
                renders[source.name].keep = True
            elif source.name not in made and plain and source.name in previous and (out_dir / source.name).is_file() and \
                    is_current(previous[source.name], out_dir, fingerprint(content, source, options, cache)):
                made[source.name] = (out_dir / source.name).read_bytes()
            elif source.name not in made:
                renders[source.name] = _Job(source, None, keep=True)
        packs.append(_Job(target, inputs, pages=tuple(s.name for s in sources)))
    return list(renders.values()), packs, made


class _Runner:
    """What the build does with each rendering: arguments for a worker, and what becomes of its outcome."""

    def __init__(self, root: str, out_dir: Path, scratch: Path, options: RenderOptions, made: dict[str, bytes], collect):
        self.root, self.out_dir, self.scratch, self.options = root, out_dir, scratch, options
        self.made = made  # pages for packs, by target name
        self.failed: dict[str, Outcome] = {}
        self.only_pages: dict[str, Outcome] = {}  # outcomes of pages nobody asked for: packs report their warnings
        self.collect = collect

    def out(self, job: _Job) -> Path:
        return self.out_dir if job.inputs is not None else self.scratch

    def call(self, job: _Job) -> tuple:
        """Return the worker function and its arguments for JOB (keep and pages only when they apply)."""
        extra = {"keep": True} if job.keep else {}
        if job.pages:
            extra["pages"] = [self.made[name] for name in job.pages]
        return functools.partial(_render_in_worker, **extra), self.root, job.target, str(self.out(job)), self.options, job.inputs

    def finished(self, job: _Job, outcome: Outcome) -> None:
        name = job.target.name
        if job.keep:
            if outcome.status == "built" and outcome.pdf is not None:
                self.made[name] = outcome.pdf
            else:
                self.failed[name] = outcome
        outcome.pdf = None
        if job.pages:
            for page in job.pages:  # a pack says what its pages nobody asked for said
                extra = self.only_pages.get(page)
                if extra is not None:
                    outcome.problems += [p for p in extra.problems if p not in outcome.problems]
                    outcome.notes += [f"{page}: {n}" for n in extra.notes]
        if job.inputs is None:
            self.only_pages[name] = outcome
        else:
            self.collect(outcome)

    def ready(self, pack: _Job) -> bool:
        return all(name in self.made or name in self.failed for name in pack.pages)

    def pack_failed(self, pack: _Job) -> Outcome | None:
        """Return the failure of a pack one of whose pages failed, else None."""
        failed = [name for name in pack.pages if name in self.failed]
        if not failed:
            return None
        # A page asked for as a target reported its own failure; one only the pack needed did not.
        problems = [p for name in failed if name in self.only_pages for p in self.failed[name].problems]
        problems.append(Problem(pack.target.name, 0, f"not built: its page {failed[0]} could not be made" +
                                (f" (and {len(failed) - 1} more)" if len(failed) > 1 else "") + "; any previous file is kept"))
        return Outcome(pack.target, "failed", None, problems)


def _run_pool(content: Content, run: _Runner, renders: list[_Job], packs: list[_Job], jobs: int, scratch: str, options: RenderOptions) -> None:
    """Run RENDERS in JOBS warm worker processes, and each pack once its pages are made."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # not on the no-op path
    from concurrent.futures.process import BrokenProcessPool

    # Warm workers: load WeasyPrint, the fonts, stylesheets and templates once, here (the
    # content is loaded already), and fork the workers from this process, so none of them
    # pays for it again (an initializer that warms each worker costs the same per worker:
    # twice the CPU on two).
    warmed = _warm_parent(content, [job.target for job in renders + packs], options)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(os.getpid(), scratch)) as pool:
            futures = {pool.submit(*run.call(job)): job for job in renders}
            waiting = list(packs)
            while futures or waiting:
                for pack in [p for p in waiting if run.ready(p)]:
                    waiting.remove(pack)
                    failure = run.pack_failed(pack)
                    if failure is not None:
                        run.finished(pack, failure)
                    else:
                        futures[pool.submit(*run.call(pack))] = pack
                if not futures:
                    break
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    job = futures.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        target = job.target
                        _remove_temporaries(run.out(job) / target.name)  # the dead worker could not clean up
                        outcome = Outcome(target, "failed", None, [Problem(str(run.out_dir / target.name), 0, "not built: a build worker was killed (out of memory, or stopped); any previous file is kept; build again")])
                    run.finished(job, outcome)
            for pack in waiting:  # never ready: cannot happen, but never drop a target silently
                run.finished(pack, Outcome(pack.target, "failed", None, [Problem(pack.target.name, 0, "not built: its pages were never made")]))
    finally:
        if warmed:  # the workers are done: no font folder outlives the build (a process warm before keeps its own)
            from ..render.warm import cool_down

            cool_down()


def _start_worker(parent: int, scratch: str) -> None:
    """Set up a build worker: it dies with the build (outdir.die_with_parent), its temporaries go in SCRATCH."""
    die_with_parent(parent)
    _use_temp_folder(scratch)


def _use_temp_folder(folder: str) -> None:
    """Make a worker put its temporary files (WeasyPrint's fonts) in FOLDER."""
    import tempfile

    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder


def _remove_temporaries(path: Path) -> None:
    """Remove the temporary files a writer makes beside PATH (see files.atomic_output)."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if re.fullmatch(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp", tmp.name):
            tmp.unlink(missing_ok=True)


def _collect(outcomes, result: BuildResult, entries: dict, report) -> None:
    for outcome in outcomes:
        result.outcomes.append(outcome)
        if outcome.status == "built" and outcome.entry:
            entries[outcome.entry["path"]] = outcome.entry
        report(outcome)
