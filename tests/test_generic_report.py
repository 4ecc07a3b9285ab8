"""A report that is not JFIR's: every audience builds from it with none of JFIR's wording, and no built-in file names JFIR."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import ROOT, write_content
from .pdfcheck import pdf_text

runner = CliRunner()

# An English-source report written from the docs: two themes, no study group, no series label.
REPORT = """\
id: harbor-2026
source_lang: en
languages: [en, ja]
title: {en: Ports and Resilience, ja: 港湾とレジリエンス}
publisher: {en: Pacific Policy Institute, ja: 太平洋政策研究所}
date: 2026-03-01
edition: {number: 2, date: 2026-04-01}
url: https://example.org/ports
notice: {en: The views are the authors' own., ja: 本報告書の見解は執筆者個人のものである。}
organizations:
  - id: staff
    name: {en: the Institute's research team, ja: 研究部}
people:
  - id: lee
    role: chair
    name: Dana Lee
    affiliation: {en: Senior Fellow, ja: シニアフェロー}
  - id: ito
    role: member-jp
    name: {en: Ken Ito, ja: 伊藤 健}
    affiliation: {en: Professor, ja: 教授}
"""

THEME = """\
id: {id}
number: {n}
title: {{en: {title}, ja: {title_ja}}}
short_title: {{en: {title}, ja: {title_ja}}}
framing: {{en: Ports matter for supply chains., ja: 港湾はサプライチェーンに重要である。}}
intro:
  body:
    - {{en: Ports carry most of our trade., ja: 港湾は貿易の大半を担っている。}}
  authors: [staff]
recommendations:
  - number: {n}
    id: rec-{id}
    title: {{en: Harden the ports, ja: 港湾を強化せよ}}
    authors: [lee, ito]
    addressed_to: both
    summary: {{en: Ports handle 80% of trade and need investment., ja: 港湾は貿易の80%を担い、投資が必要である。}}
    key_points:
      - {{en: Ports handle 80% of trade., ja: 港湾は貿易の80%を担う}}
    body:
      - en: Ports handle 80% of trade. Congress should fund port resilience grants.
        ja: 港湾は貿易の80%を担う。議会は港湾レジリエンス補助金に予算を付けるべきである。
    figures:
      - value: 80%
        label: {{en: share of trade through ports, ja: 港湾を通る貿易の割合}}
        quote: Ports handle 80% of trade
    us_committees:
      - {{en: House Transportation and Infrastructure Committee, ja: 下院運輸・インフラ委員会}}
    jp_ministries:
      - {{en: "Ministry of Land, Infrastructure, Transport and Tourism", ja: 国土交通省}}
    asks:
      congress:
        - text: {{en: Fund port resilience grants., ja: 港湾レジリエンス補助金に予算を付ける}}
          basis: authors
          quote: Congress should fund port resilience grants.
      ministries:
        - text: {{en: Match the US port grants in Japan., ja: 日本でも同様の港湾補助金を設ける}}
          basis: editor
"""

# One recipient per edition kind: a committee gets the brief, a ministry the memo.
RECIPIENTS = """\
recipients:
  - id: house-transportation
    kind: committee
    name: {en: House Transportation and Infrastructure Committee, ja: 下院運輸・インフラ委員会}
    address: ["Washington, DC 20515"]
    language: en
    salutation: "Dear Committee staff,"
    follows: [House Transportation and Infrastructure Committee]
  - id: mlit
    kind: ministry
    name: {en: "Ministry of Land, Infrastructure, Transport and Tourism", ja: 国土交通省}
    address: [東京都千代田区霞が関2-1-3]
    language: ja
    follows: [国土交通省]
"""

BANNED = ("JFIR", "Forum", "研究会")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    root = write_content(tmp_path_factory.mktemp("c") / "content", REPORT, {
        "01-ports.yaml": THEME.format(id="ports", n=1, title="Ports", title_ja="港湾"),
        "02-shipping.yaml": THEME.format(id="shipping", n=2, title="Shipping", title_ja="海運"),
    })
    (root / "recipients.yaml").write_text(RECIPIENTS, encoding="utf-8")
    check = runner.invoke(app, ["check", "--content", str(root)])
    assert check.exit_code == 0, check.output
    out = tmp_path_factory.mktemp("out")
    for audience in (["-a", "congress", "-l", "en", "-l", "ja", "--length", "short", "--length", "full", "-f", "pdf", "-f", "docx"],
                     ["-a", "ministry", "-l", "ja", "-l", "en", "-f", "pdf", "-f", "docx"],
                     ["-a", "onepager"], ["-f", "email"], ["-a", "handout"], ["-a", "proof"],
                     ["-a", "web"],  # after the documents it links to
                     ["--recipients"]):
        result = runner.invoke(app, ["build", "--content", str(root), "--out", str(out), "--quiet", "--editor-asks", *audience])
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
    return out


def texts(out: Path) -> dict[str, str]:
    """Every output's text: PDF text and metadata, every XML part of a DOCX, every web page."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            meta = PdfReader(path).metadata or {}
            found[str(path.relative_to(out))] = pdf_text(path) + "\n" + " ".join(str(v) for v in meta.values())
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                found[str(path.relative_to(out))] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        elif path.suffix in (".html", ".txt", ".eml", ".json", ".csv"):
            found[str(path.relative_to(out))] = path.read_text(encoding="utf-8")
    return found


def test_every_audience_builds_without_jfir_wording(outputs):
    found = texts(outputs)
    names = set(found)
    assert {"congress/brief-short.en.letter.pdf", "congress/brief-full.ja.letter.pdf", "congress/brief-short.en.docx",
            "ministry/memo.ja.docx", "ministry/memo.en.a4.pdf", "onepager/01-ports.en.letter.pdf", "onepager/02-shipping.ja.a4.pdf",
            "handout/handout-pack.a4.pdf", "proof/proof.ja.a4.pdf", "web/report.en.html", "web/report.ja.html", "web/index.html",
            "onepager/01-ports.ja.email.html",
            "recipients/house-transportation/brief.en.letter.pdf", "recipients/mlit/memo.ja.a4.pdf"} <= names, names
    leaks = [f"{name}: {word}" for name, text in found.items() for word in BANNED if word in text]
    assert not leaks, leaks


def test_defaults_stand_in_for_what_the_report_leaves_out(outputs):
    found = texts(outputs)
    short = "".join(found["congress/brief-short.en.letter.pdf"].split()).lower()  # CSS sets some headings in capitals
    assert "policybrief" in short and "recommendationsofpacificpolicyinstitute" in short
    full = "".join(found["congress/brief-full.en.letter.pdf"].split()).lower()
    assert "abouttheauthors" in full and "chair" in full and "japanesemembers" in full
    assert "usmembers" not in full and "staff" not in full  # roles with nobody get no heading
    assert "keytakeaways" not in short.lower()  # no bottom line, no takeaways: no empty box
    # An organisation can be an author: the chapter introductions it prepared carry its credit.
    assert full.count("(preparedbytheinstitute’sresearchteam)") == 2  # typographer's apostrophe
    assert "".join(found["congress/brief-full.ja.letter.pdf"].split()).count("（研究部作成）") == 2
    memo = found["ministry/memo.ja.docx"]
    assert "標記について、下記のとおり提言いたします。" in memo
    # A ministry's own edition: the default opening sentence, then where its recommendations are;
    # the sender is the publisher and the chair (no study group to name).
    edition = "".join(found["recipients/mlit/memo.ja.a4.pdf"].split())
    assert "標記について、下記のとおり提言いたします。貴省庁の所管に関する提言を第1に" in edition
    assert "太平洋政策研究所主査DanaLee" in edition
    assert "令和8年3月1日改訂令和8年4月1日（第2版）" in edition  # a reissue says so, as the full memo does
    # --editor-asks: the editor's suggestion is printed under its own （参考） heading, never as the authors'.
    assert "(3)（参考）編集者による補足（報告書の提言ではない）ア日本でも同様の港湾補助金を設ける" in edition
    assert "関係府省への要請" not in edition  # the authors ask nothing of ministries here


# Built-in files any organisation's report is rendered with: no organisation's name in them
# (the shipped content in content/ and the test fixtures may name JFIR; these may not).
BUILT_IN = ("templates", "src/briefgen", "scripts")
REPORT_WORDS = ("JFIR", "Japan Forum", "日本国際フォーラム", "研究会")
BINARY = {".ttf", ".otf", ".ttc", ".woff", ".woff2", ".png", ".jpg", ".pyc"}


def built_in_texts():
    """Yield (path, text) for every built-in text file and every XML part of a built-in .docx."""
    for folder in BUILT_IN:
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix in BINARY or "__pycache__" in path.parts:
                continue
            rel = str(path.relative_to(ROOT))
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as z:
                    for name in z.namelist():
                        yield f"{rel}!{name}", z.read(name).decode("utf-8", "replace")
            else:
                yield rel, path.read_text(encoding="utf-8")


def test_no_built_in_file_names_an_organisation():
    seen = dict(built_in_texts())
    # The scan reaches what it must: the labels, a template, the Word samples inside the .docx.
    assert {"templates/words.yaml", "templates/ministry/memo.html", "templates/word/reference.docx!word/document.xml",
            "templates/word/reference-en/word/document.xml", "scripts/make_reference_docx.py"} <= set(seen)
    leaks = [f"{name}: {word}" for name, text in seen.items() for word in REPORT_WORDS if word in text]
    assert not leaks, leaks
