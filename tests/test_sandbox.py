"""Rendering reads only the project's own assets: no network, no files elsewhere."""

import contextlib
import datetime as dt
import http.server
import os
import sys
import threading
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import ROOT

runner = CliRunner()


@pytest.fixture
def server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def build_with_template(mini: Path, tmp_path: Path, body: str, *args: str):
    templates = tmp_path / "tpl"
    (templates / "congress").mkdir(parents=True)
    (templates / "congress" / "brief-short.html").write_text(
        '{% extends "builtin/congress/brief-short.html" %}{% block body %}' + body + "{{ super() }}{% endblock %}", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(mini), "-a", "congress", "-f", "pdf", "--length", "short", "--templates", str(templates), "--out", str(out), *args])
    assert "Traceback" not in result.output
    return result, out


@pytest.mark.parametrize("kind", ["img", "css", "import"])
def test_template_cannot_reach_the_network(mini, tmp_path, server, kind):
    url, hits = server
    body = {
        "img": f'<img src="{url}/pixel.png" alt="x">',
        "css": f'<div style="background: url({url}/bg.png)">x</div>',
        "import": f'<style>@import url("{url}/evil.css");</style>',
    }[kind]
    result, out = build_with_template(mini, tmp_path, body)
    assert result.exit_code == 1
    assert "refused to fetch http://127.0.0.1" in result.output
    assert "rendering never uses the network" in result.output
    assert hits == []
    assert not list(out.rglob("*.pdf"))


def test_template_cannot_read_local_files(mini, tmp_path):
    result, out = build_with_template(mini, tmp_path, '<img src="file:///etc/passwd" alt="x"><link rel="stylesheet" href="../../../../etc/passwd">')
    assert result.exit_code == 1
    assert "refused to read file:///etc/passwd" in result.output
    assert not list(out.rglob("*.pdf"))


def test_large_data_url_is_refused(mini, tmp_path):
    big = "A" * 300_000
    result, _ = build_with_template(mini, tmp_path, f'<img src="data:image/png;base64,{big}" alt="x">')
    assert result.exit_code == 1
    assert "refused a data: URL" in result.output


def test_content_links_are_never_fetched(tmp_path, server):
    from .conftest import THEME, write_content

    url, hits = server
    theme = THEME.replace("en: Diversify suppliers", f"en: Diversify suppliers [see]({url}/x) [local](file:///etc/passwd)")
    root = write_content(tmp_path / "c", themes={"01-energy.yaml": theme})
    result = runner.invoke(app, ["build", "--content", str(root), "-a", "congress", "--length", "full", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert hits == []


def test_template_code_is_sandboxed(mini, tmp_path):
    result, _ = build_with_template(mini, tmp_path, "{{ report.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


# -- templates see data, not capabilities (issue 12) --------------------------------------------

_watched: list[tuple[str, list]] = []  # (folder, touches): opens and truncations under folder are recorded


def _audit(event, args):
    if _watched and event in ("open", "os.truncate", "os.remove", "os.rename", "os.symlink", "os.mkdir"):
        path = args[0]
        if isinstance(path, (str, bytes, os.PathLike)):
            path = os.path.realpath(os.fsdecode(path))  # a file opened through a link counts where it leads
            for folder, touches in _watched:
                if path.startswith(folder):
                    touches.append((event, path))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only while a test watches


@contextlib.contextmanager
def touches_under(folder: Path):
    """Record every file opened, truncated or created under FOLDER while the block runs."""
    touches: list = []
    _watched.append((str(folder), touches))
    try:
        yield touches
    finally:
        _watched.pop()


@pytest.fixture
def outside(tmp_path):
    """A folder outside the templates and content, holding a canary file."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "canary.txt").write_text("CANARY-SECRET", encoding="utf-8")
    return folder


EXPLOITS = {
    "read through the content root": "{{ L.content.root.joinpath('OUT/canary.txt').read_text() }}",
    "read through the templates option": "{{ options.templates.joinpath('OUT/canary.txt').read_text() }}",
    "write through the templates option": "{{ options.templates.joinpath('OUT/pwned.txt').write_text('pwned') }}",
    "write through the reference docx option": "{{ options.reference_docx.parent.joinpath('OUT/pwned.txt').write_text('pwned') }}",
    "truncate the report": "{{ L.content.report_file.path.write_text('') }}",
    "read through a model class method": "{{ report.parse_file('OUT/canary.txt') }}",
    "read through attr()": "{{ (L|attr('content')).root.joinpath('OUT/canary.txt').read_text() }}",
    "read through map()": "{{ [L]|map(attribute='content')|first }}",
    "read through a format string": "{{ '{0.content.root}'.format(L) }}",
    "the dunder route": "{{ report.__class__.__mro__[1].__subclasses__() }}",
    "the Localizer's own content": "{{ L._localizer.content.root }}",
    "a bound method's owner": "{{ L.t.__self__ }}",
    "a class method of a date": "{{ info.date.today() }}",
    "a model's serialiser": "{{ info.model_dump_json() }}",
    "the target's audience declaration": "{{ target.declaration.context }}",
    "the labels' table": "{{ W.table }}",
    "a helper's globals": "{{ kanji.__globals__['os'] }}",
}


@pytest.mark.parametrize("name", EXPLOITS)
def test_template_cannot_reach_files_through_the_context(mini, tmp_path, outside, name):
    body = EXPLOITS[name].replace("OUT", str(outside))
    report = (mini / "report.yaml").read_bytes()
    with touches_under(outside) as touched:
        result, out = build_with_template(mini, tmp_path, body, "--reference-docx", str(ROOT / "templates/word/reference.docx"))
    assert result.exit_code == 1
    assert "tpl/congress/brief-short.html:1: template" in result.output
    assert "CANARY" not in result.output and "pwned" not in result.output
    assert touched == []  # neither read nor written, not even opened
    assert sorted(p.name for p in outside.iterdir()) == ["canary.txt"]
    assert (mini / "report.yaml").read_bytes() == report
    assert not list(out.rglob("*.pdf"))


def test_a_refused_attribute_is_named_with_the_template_line(mini, tmp_path):
    result, _ = build_with_template(mini, tmp_path, "\n{{ info.title.get('en') }}\n{{ L.content.root }}")
    assert result.exit_code == 1
    assert "tpl/congress/brief-short.html:3: template refused by the sandbox: a template may not read 'content' of a Helpers object" in result.output


def test_sheets_of_a_one_pager_hold_no_capabilities(mini, tmp_path, outside):
    templates = tmp_path / "tpl"
    (templates / "onepager").mkdir(parents=True)
    (templates / "onepager" / "onepager.html").write_text(
        '{% extends "builtin/onepager/onepager.html" %}{% block body %}'
        f"{{{{ sheets[0].L.content.root.joinpath('{outside}/canary.txt').read_text() }}}}{{{{ super() }}}}{{% endblock %}}", encoding="utf-8")
    with touches_under(outside) as touched:
        result = runner.invoke(app, ["build", "--content", str(mini), "-a", "onepager", "-l", "en", "--templates", str(templates), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "a template may not read 'content' of a Helpers object" in result.output
    assert "CANARY" not in result.output and touched == []


def test_the_sandbox_refuses_objects_outside_the_allow_list(outside):
    """Second line of defence: even an object the context check missed offers nothing to call."""
    import jinja2

    from briefgen.render.templates import make_environment

    env = make_environment(None)
    canary = outside / "canary.txt"
    for source in ["{{ p.read_text() }}", "{{ p.parent }}", "{{ p['read_text']() }}", "{{ d.p.open().read() }}"]:
        with touches_under(outside) as touched, pytest.raises(jinja2.exceptions.SecurityError, match="may not read .* PosixPath"):
            env.from_string(source).render(p=canary, d={"p": canary})
        assert touched == []


def test_the_context_check_refuses_a_path(mini):
    from briefgen.render.templates import template_context

    with pytest.raises(TypeError, match=r"template context: sheets\[0\]\.folder is a pathlib\.PosixPath"):
        template_context({"sheets": [{"folder": mini}]})


def _reachable(value, env, where, found, seen):
    """Record the type of every value a template can reach from VALUE through the sandbox."""
    import jinja2

    if id(value) in seen:
        return
    seen.add(id(value))
    found.setdefault(type(value), where)
    if isinstance(value, (str, int, float, type(None), dt.date)):
        return  # their methods return values of the same kinds
    if isinstance(value, dict):
        for key, item in value.items():
            _reachable(item, env, f"{where}.{key}", found, seen)
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _reachable(item, env, f"{where}[{i}]", found, seen)
        return
    for name in dir(value):
        if name.startswith("_"):
            continue
        try:
            member = env.getattr(value, name)
        except jinja2.exceptions.SecurityError:
            continue
        if isinstance(member, jinja2.Undefined):
            continue
        if callable(member) and not env.is_safe_callable(member):
            continue
        _reachable(member, env, f"{where}.{name}", found, seen)


@pytest.mark.parametrize("audience", ["congress", "ministry", "onepager", "handout", "proof"])
def test_every_value_a_template_can_reach_is_data_or_a_text_helper(mini, tmp_path, monkeypatch, audience):
    import briefgen.render.html as html_step
    from briefgen.content import model
    from briefgen.audiences.declaration import Target
    from briefgen.render.localize import Helpers, kanji_number, katakana_label
    from briefgen.render.templates import make_environment, template_context
    from briefgen.render.words import Words
    from markupsafe import Markup

    contexts = []
    original = html_step.render_template

    def spy(env, name, context):
        contexts.append(template_context(context))
        return original(env, name, context)

    monkeypatch.setattr(html_step, "render_template", spy)
    formats = ["-f", "pdf", "-f", "docx"] if audience in ("congress", "ministry") else []
    (tmp_path / "tpl").mkdir()
    result = runner.invoke(app, ["build", "--content", str(mini), "-a", audience, *formats, "--reference-docx", str(ROOT / "templates/word/reference.docx"),
                                 "--templates", str(tmp_path / "tpl"), "--out", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert contexts
    env = make_environment(None)
    models = tuple(c for c in vars(model).values() if isinstance(c, type) and issubclass(c, model.BaseModel))
    allowed = (str, Markup, int, bool, float, type(None), dt.date, list, tuple, dict, *models, Target, Helpers, Words,
               types.FunctionType, types.MethodType)
    for context in contexts:
        found: dict = {}
        _reachable(context, env, "context", found, set())
        strays = {f"{t.__module__}.{t.__qualname__} at {where}" for t, where in found.items() if not issubclass(t, allowed)}
        assert not strays
        assert not any(issubclass(t, (Path, html_step.RenderOptions, html_step.Localizer, html_step.Content)) for t in found)
    assert all(c["kanji"] is kanji_number and c["iroha"] is katakana_label for c in contexts)
    assert all(type(c["L"]) is Helpers and type(c["options"]) is dict and "templates" not in c["options"] for c in contexts)


def _override(tmp_path, name, text):
    templates = tmp_path / "tpl"
    (templates / "congress").mkdir(parents=True, exist_ok=True)
    path = templates / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return templates


def _build(mini, tmp_path, templates):
    return runner.invoke(app, ["build", "--content", str(mini), "-a", "congress", "-f", "pdf", "--length", "short", "--templates", str(templates), "--out", str(tmp_path / "out")])


def test_an_include_linking_outside_the_templates_folder_is_refused(mini, tmp_path, outside):
    templates = _override(tmp_path, "congress/brief-short.html",
                          '{% extends "builtin/congress/brief-short.html" %}{% block body %}{% include "leak.html" %}{{ super() }}{% endblock %}')
    (templates / "leak.html").symlink_to(outside / "canary.txt")
    with touches_under(outside) as touched:
        result = _build(mini, tmp_path, templates)
    assert result.exit_code == 1
    assert f"tpl/leak.html: refused to read leak.html: it links to {outside / 'canary.txt'}, outside the templates folder" in result.output
    assert "CANARY" not in result.output and "Traceback" not in result.output
    assert touched == []
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_an_overriding_template_linking_outside_is_refused(mini, tmp_path, outside):
    templates = tmp_path / "tpl"
    (templates / "congress").mkdir(parents=True)
    (outside / "brief-short.html").write_text('{% extends "builtin/congress/brief-short.html" %}', encoding="utf-8")
    (templates / "congress" / "brief-short.html").symlink_to(outside / "brief-short.html")
    result = _build(mini, tmp_path, templates)
    assert result.exit_code == 1
    assert "refused to read congress/brief-short.html: it links to" in result.output


def test_a_link_inside_the_templates_folder_is_followed(mini, tmp_path):
    templates = _override(tmp_path, "parts/note.html", "<p>LINKED-NOTE</p>")
    (templates / "congress" / "brief-short.html").write_text(
        '{% extends "builtin/congress/brief-short.html" %}{% block body %}{% include "note.html" %}{{ super() }}{% endblock %}', encoding="utf-8")
    (templates / "note.html").symlink_to(templates / "parts" / "note.html")
    result = _build(mini, tmp_path, templates)
    assert result.exit_code == 0, result.output
    from .pdfcheck import pdf_text

    assert "LINKED-NOTE" in pdf_text(next((tmp_path / "out").rglob("brief-short.en.letter.pdf")))


def test_a_words_file_linking_outside_is_refused(mini, tmp_path, outside):
    (outside / "words.yaml").write_text("key_takeaways: {en: CANARY-SECRET}\n", encoding="utf-8")
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "words.yaml").symlink_to(outside / "words.yaml")
    with touches_under(outside) as touched:
        result = _build(mini, tmp_path, templates)
    assert result.exit_code == 1
    assert "refused to read words.yaml: it links to" in result.output
    assert "CANARY" not in result.output and touched == []


def test_a_fifo_in_the_templates_folder_is_refused(mini, tmp_path):
    templates = _override(tmp_path, "congress/brief-short.html",
                          '{% extends "builtin/congress/brief-short.html" %}{% block body %}{% include "pipe.html" %}{% endblock %}')
    os.mkfifo(templates / "pipe.html")
    result = _build(mini, tmp_path, templates)
    assert result.exit_code == 1
    assert "tpl/pipe.html: refused to read pipe.html: not a regular file; put a plain file there instead" in result.output


def test_templates_keep_jinja_and_the_documented_helpers(mini, tmp_path):
    """The allow-list refuses capabilities, not the template language."""
    body = """
{% import "builtin/partials/contact.html" as contact_partial with context %}
{% macro box(x) %}<p>BOX-{{ x }}-{{ caller() }}</p>{% endmacro %}
{% call box(kanji(12)) %}{{ iroha(2) }}{% endcall %}
{% set ns = namespace(n=0) %}{% for t in report.themes %}{% set ns.n = ns.n + loop.index %}{% endfor %}
<p>COUNT-{{ ns.n }}-{{ report.recommendations()|list|length }}-{{ report.theme('energy').all_notes()|length }}</p>
{% for g in report.themes|groupby('number') %}<p>GROUP-{{ g.grouper }}-{{ g.list|length }}</p>{% endfor %}
{% set j = joiner('+') %}{% set c = cycler('odd', 'even') %}<p>{% for x in range(3) %}{{ j() }}{{ c.next() }}{% endfor %}</p>
<p>{{ '{}-{}'.format('FMT', info.date.strftime('%Y')) }} {{ dict(a=1).items()|list|length }} {{ 'up'.upper() }}</p>
<p>{{ L.plain(info.title) }} / {{ L.date(info.date) }} / {{ L.person('tanaka') }} / {{ L.names(['tanaka', 'smith']) }} / {{ L.number(12345) }}</p>
<p>{{ W('key_takeaways') }} {{ target.name }} {{ target.option('x', 'OPT') }} {{ options.print_marks }} {{ info.title.get('ja') }} {{ info.title.has('en') }}</p>
<p>{{ report.person('smith').affiliation.root['en'] }}</p>
"""
    result, out = build_with_template(mini, tmp_path, body)
    assert result.exit_code == 0, result.output
    from .pdfcheck import pdf_text, squash

    text = squash(pdf_text(out / "congress/brief-short.en.letter.pdf"))
    for expected in ["BOX-十二-イ", "COUNT-1-1-1", "GROUP-1-1", "odd+even+odd", "FMT-2026 1 UP",
                     "A small report / May 31, 2026 / Taro Tanaka / Taro Tanaka and John Smith / 12,345",
                     "Key takeaways congress/brief-short.en.letter.pdf OPT False 小さな報告書 True", "Hudson Institute"]:
        assert squash(expected) in text


def test_a_font_linking_outside_the_templates_folder_is_refused(mini, tmp_path, outside):
    templates = tmp_path / "tpl"
    (templates / "fonts").mkdir(parents=True)
    (templates / "fonts" / "NotoSerif-Regular.ttf").symlink_to(outside / "canary.txt")
    with touches_under(outside) as touched:
        result = _build(mini, tmp_path, templates)
    assert result.exit_code == 1
    assert "refused to read fonts/NotoSerif-Regular.ttf: it links to" in result.output
    assert touched == [] and "Traceback" not in result.output
