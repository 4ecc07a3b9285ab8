"""briefgen benchmark: `make bench`. Prints a table of timings, memory and sizes.

Measures, on the shipped content: a cold full build, a no-op build, one one-pager after a
one-line content change (CLI, and in a warm `watch` process), peak memory and output sizes;
times a reference on the same content (Typst via its PyPI binding for one one-pager, pandoc
for the memo text as .docx); a scale run on a synthetic report 10x the size; and the
personalised briefs of 50 and 500 synthetic recipients (a recipients file written to the
temporary folder, never shipped).
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "briefgen"
TARGETS = {"cold full build": 3.0, "no-op build": 0.2, "one-pager in watch": 0.2, "peak memory (MB)": 400,
           "ja one-pager (KB)": 150, "en one-pager (KB)": 60, "scale": 8.0, "per recipient": 0.25}


class Timed(float):
    """Wall seconds of a run, with the CPU seconds (user + system, all its processes) it used."""

    cpu: float = 0.0


def run(*args: str, env: dict | None = None) -> Timed:
    """Run briefgen with ARGS; return its wall time, carrying its CPU time (the machine may be shared: CPU time is the steadier figure)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(BIN), *args], check=True, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    timed = Timed(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return timed


def both(t: Timed) -> str:
    return f"{t:.2f} s wall, {t.cpu:.2f} s CPU"


def peak_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_peak(*args: str) -> tuple[Timed, float]:
    """Run briefgen with ARGS in a fresh parent; return its time and the peak memory (MB) of its largest process."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, str(BIN), *args], check=True, capture_output=True, text=True)
    timed = Timed(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return timed, int(done.stdout.split()[-1]) / 1024


def synthetic_recipients(content: Path, path: Path, count: int) -> None:
    """Write COUNT congressional offices, each following one to three of the committees the content names (seeded)."""
    import random

    import yaml

    committees = sorted({c if isinstance(c, str) else c["en"] for theme in sorted((content / "themes").glob("*.yaml"))
                         for rec in yaml.safe_load(theme.read_text(encoding="utf-8"))["recommendations"]
                         for c in rec.get("us_committees", [])})
    pick = random.Random(20)
    people = [{"id": f"office-{i:04d}", "kind": "member-office", "name": {"en": f"Office of Synthetic Member {i}"},
               "address": ["U.S. House of Representatives", "Washington, DC 20515"], "language": "en", "example": True,
               "follows": pick.sample(committees, pick.randint(1, 3))} for i in range(count)]
    path.write_text(yaml.safe_dump({"recipients": people}, allow_unicode=True), encoding="utf-8")


def recipients_rows(content: Path, tmp: Path, env: dict) -> list[tuple[str, str, str]]:
    """Time the personalised briefs of 50 and 500 synthetic offices, and one office edited among 500."""
    rows = []
    results = {}
    for count in (50, 500):
        book = tmp / f"recipients-{count}.yaml"
        synthetic_recipients(content, book, count)
        out = tmp / f"recipients-{count}"
        timed, peak = run_peak("build", "--content", str(content), "--out", str(out), "-q", "--recipients-file", str(book), "-a", "congress")
        results[count] = (timed, peak)
        pages = sum(e["pages"] for e in json.loads((out / "manifest.json").read_text())["artifacts"] if e.get("recipient"))
        rows.append((f"recipients: {count} personalised briefs", both(timed),
                     f"{timed / count:.3f} s wall, {timed.cpu / count:.2f} s CPU per recipient (target ≤ {TARGETS['per recipient']} s); "
                     f"{pages} pages; peak {peak:.0f} MB"))
    (t50, p50), (t500, p500) = results[50], results[500]
    rows.append(("recipients: 500 vs 50", f"{t500 / t50:.1f}x wall", f"peak memory {p500:.0f} MB vs {p50:.0f} MB (should not grow with the count)"))
    book = tmp / "recipients-500.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("Office of Synthetic Member 7\n", "Office of Synthetic Member 7 (edited)\n", 1), encoding="utf-8")
    edited = run("build", "--content", str(content), "--out", str(tmp / "recipients-500"), "-q", "--recipients-file", str(book), "-a", "congress", env=env)
    rows.append(("recipients: one of 500 edited, rebuilt", both(edited), "one brief, the index and the print set; 499 skipped"))
    return rows


def change_one_line(content: Path) -> None:
    path = content / "themes" / "04-energy.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Energy is the most promising area", "Energy is the most promising field", 1), encoding="utf-8")


def watch_rebuild_seconds(content: Path, out: Path) -> float:
    """Time a rebuild in a warm process, as `briefgen watch` does after a save."""
    sys.path.insert(0, str(ROOT / "src"))
    from briefgen import api

    def rebuild():
        return api.build(content, out, audiences=["onepager"], themes=["energy"], langs=["en"], allow_missing=True, jobs=1)

    rebuild()  # warm: imports, fonts, first layout
    path = content / "themes" / "04-energy.yaml"
    times = []
    for i in range(3):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("most promising", "most promising ", 1), encoding="utf-8")
        start = time.perf_counter()
        result = rebuild()
        times.append(time.perf_counter() - start)
        assert result.count("built") == 1
    return min(times)


def typst_onepager(tmp: Path) -> tuple[float, float]:
    """Typst: an equivalent one-pager (title, recommendations, key points) from the same content.

    Returns the seconds of a warm compile (the second in one process, as briefgen's watch) and
    of a fresh process that compiles once (as a `typst compile` run from the shell).
    """
    import typst  # noqa: F401  (fails early when the bench extra is missing)
    import yaml

    theme = yaml.safe_load((ROOT / "content/themes/04-energy.yaml").read_text(encoding="utf-8"))
    esc = lambda s: re.sub(r"([#$*_\[\]<>@`\\])", r"\\\1", s)  # noqa: E731
    lines = ['#set page(paper: "us-letter", margin: 14mm)', '#set text(font: "Noto Serif", size: 11pt)',
             f"= {esc(theme['title']['en'])}"]
    for rec in theme["recommendations"]:
        lines.append(f"== Recommendation {rec['number']}: {esc(rec['title']['en'])}")
        lines += [f"- {esc(p['en'])}" for p in rec["key_points"]]
    src = tmp / "onepager.typ"
    src.write_text("\n".join(lines), encoding="utf-8")
    script = (
        "import sys, time, typst\n"
        "def once():\n"
        f"    typst.compile({str(src)!r}, output={str(tmp / 'onepager-typst.pdf')!r}, font_paths=[{str(ROOT / 'templates/fonts')!r}])\n"
        "start = time.perf_counter(); once(); cold = time.perf_counter() - start\n"
        "start = time.perf_counter(); once(); warm = time.perf_counter() - start\n"
        "print(cold, warm)\n"
    )
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout.split()
    process = time.perf_counter() - start
    return float(out[1]), process


def pandoc_memo(tmp: Path) -> float | None:
    """pandoc: the memo's text as Markdown → .docx."""
    if not shutil.which("pandoc"):
        return None
    sys.path.insert(0, str(ROOT / "src"))
    from briefgen import api

    report = api.check(ROOT / "content").report
    md = [f"# {report.info.title.get('ja')}"]
    for theme in report.themes:
        md.append(f"## 第{theme.number} {theme.title.get('ja')}")
        for rec in theme.recommendations:
            md += [f"### 提言{rec.number} {rec.title.get('ja')}", rec.summary.get("ja"), *[f"- {p.get('ja')}" for p in rec.key_points]]
    (tmp / "memo.md").write_text("\n\n".join(md), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(["pandoc", str(tmp / "memo.md"), "-o", str(tmp / "memo-pandoc.docx")], check=True)
    return time.perf_counter() - start


def synthetic_report(src: Path, dst: Path, factor: int) -> None:
    """Write a report FACTOR times the size: every theme repeated, ids and numbers renumbered."""
    import yaml

    shutil.copytree(src, dst)
    themes = sorted((src / "themes").glob("*.yaml"))
    shutil.rmtree(dst / "themes")
    (dst / "themes").mkdir()
    number, rec_number = 0, 0
    for copy in range(factor):
        for path in themes:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            number += 1
            data["id"] = f"{data['id']}-{copy}"
            data["number"] = number
            for rec in data["recommendations"]:
                rec_number += 1
                rec["number"], rec["id"] = rec_number, f"{rec['id']}-{copy}"
                if copy:  # the short brief's ranks are each used once: the copies leave them to the first
                    for item in [*(rec.get("asks") or {}).get("congress", []), *rec.get("figures", [])]:
                        item.pop("priority", None)
            (dst / "themes" / f"{number:03d}-{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (dst / ".i18n-lock.yaml").unlink(missing_ok=True)


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        content = tmp / "content"
        shutil.copytree(ROOT / "content", content)
        out = tmp / "out"
        env = {"SOURCE_DATE_EPOCH": "1780185600"}

        cold = run("build", "--content", str(content), "--out", str(out), "-q", env=env)
        noop = run("build", "--content", str(content), "--out", str(out), "-q", env=env)
        serial = run("build", "--content", str(content), "--out", str(tmp / "serial"), "-q", "-j", "1", env=env)
        change_one_line(content)
        one = run("build", "--content", str(content), "--out", str(out), "-q", "-a", "onepager", "-t", "energy", "-l", "en", env=env)
        peak = peak_children_mb()
        manifest = json.loads((out / "manifest.json").read_text())["artifacts"]
        sizes = {e["path"]: e["bytes"] / 1024 for e in manifest}
        ja = max(v for k, v in sizes.items() if k.startswith("onepager/") and ".ja." in k)
        en = max(v for k, v in sizes.items() if k.startswith("onepager/") and ".en." in k)
        in_watch = watch_rebuild_seconds(content, tmp / "watch-out")

        rows += [("cold full build", both(cold), f"≤ {TARGETS['cold full build']} s on {os.cpu_count()} cores"),
                 ("cold full build, -j 1", both(serial), "one process: the CPU the build needs"),
                 ("no-op build", both(noop), f"≤ {TARGETS['no-op build']} s"),
                 ("one-pager after a one-line change (CLI)", both(one), ""),
                 ("one-pager after a one-line change (watch)", f"{in_watch:.2f} s", f"≤ {TARGETS['one-pager in watch']} s"),
                 ("peak memory, largest process", f"{peak:.0f} MB", f"≤ {TARGETS['peak memory (MB)']} MB"),
                 ("largest ja one-pager", f"{ja:.0f} KB", f"≤ {TARGETS['ja one-pager (KB)']} KB"),
                 ("largest en one-pager", f"{en:.0f} KB", f"≤ {TARGETS['en one-pager (KB)']} KB"),
                 ("all artifacts", f"{len(manifest)} files, {sum(sizes.values()) / 1024:.1f} MB", "")]

        try:
            warm, process = typst_onepager(tmp)
            rows.append(("reference: Typst one-pager, warm", f"{warm:.3f} s", f"briefgen warm (watch) / Typst warm = {in_watch / warm:.0f}x"))
            rows.append(("reference: Typst one-pager, fresh process", f"{process:.2f} s", f"briefgen CLI / Typst process = {one / process:.1f}x; briefgen warm / Typst process = {in_watch / process:.1f}x"))
        except Exception as exc:  # the reference is optional; say why it is missing
            rows.append(("reference: Typst one-pager", "n/a", str(exc)[:60]))
        t_pandoc = pandoc_memo(tmp)
        if t_pandoc is not None:
            t_memo = run("build", "--content", str(content), "--out", str(tmp / "memo-out"), "-q", "-a", "ministry", "-f", "docx")
            rows.append(("reference: pandoc memo text → .docx", f"{t_pandoc:.2f} s", f"briefgen memo .docx {t_memo:.2f} s = {t_memo / t_pandoc:.1f}x"))
        else:
            rows.append(("reference: pandoc memo text → .docx", "n/a", "pandoc is not installed"))

        # Scale: the same build on a report 10x the size (70 themes, 180 recommendations).
        big = tmp / "big"
        synthetic_report(content, big, 10)
        sel = ["-a", "onepager", "-a", "ministry", "-a", "congress", "--length", "full"]
        normal = run("build", "--content", str(content), "--out", str(tmp / "n"), "-q", *sel, env=env)
        before = peak_children_mb()
        scaled = run("build", "--content", str(big), "--out", str(tmp / "b"), "-q", "--allow-missing", *sel, env=env)
        rows.append(("scale: onepagers+memo+full brief, 1x", both(normal), ""))
        rows.append(("scale: the same on 10x content (70 themes)", both(scaled),
                     f"{scaled / normal:.1f}x wall, {scaled.cpu / normal.cpu:.1f}x CPU (target ≤ {TARGETS['scale']:g}x)"))
        rows.append(("scale: peak memory, largest process", f"{max(before, peak_children_mb()):.0f} MB", f"≤ {TARGETS['peak memory (MB)']} MB"))

        rows += recipients_rows(ROOT / "content", tmp, env)

    cpu = platform.processor() or platform.machine()
    load = os.getloadavg()[0]
    print(f"briefgen benchmark — {platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, load {load:.1f}")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>14}  {note}")


if __name__ == "__main__":
    main()
