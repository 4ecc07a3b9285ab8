"""The one Jinja2 environment every output renders through.

Users override a built-in template by putting a file of the same name in a folder passed with
`--templates DIR`, or extend one with `{% extends "builtin/NAME" %}` and replace a block
(Pelican's ChoiceLoader + PrefixLoader). Templates may come from users, so they render in a
sandbox, with StrictUndefined so a misspelt variable fails instead of printing nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import BriefgenError, Problem, display_path

from ..paths import BUILTIN_TEMPLATES, PROJECT_ROOT  # noqa: F401  (re-exported)


def make_environment(user_dir: Path | None = None) -> jinja2.Environment:
    """Return the environment for USER_DIR's overrides on top of the built-in templates."""
    # Jinja reloads a changed file by itself, but a template it found in the built-in folder stays
    # found there: an override added later (while `watch` runs) needs a new environment.
    listing = tuple(sorted(str(p) for p in user_dir.rglob("*") if p.is_file())) if user_dir is not None and user_dir.is_dir() else ()
    return _environment(user_dir, listing)


@lru_cache(maxsize=8)
def _environment(user_dir: Path | None, listing: tuple[str, ...]) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(BUILTIN_TEMPLATES)
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"builtin": builtin})]
    if user_dir is not None:
        if not user_dir.is_dir():
            raise BriefgenError([Problem(str(user_dir), 0, "no such templates folder; pass --templates DIR with an existing folder")])
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(builtin)
    return ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render template NAME, turning template mistakes into one located error line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise BriefgenError([Problem(where, exc.lineno or 0, f"template syntax: {exc.message}")]) from None
    except jinja2.TemplateNotFound as exc:
        raise BriefgenError([Problem(name, 0, f"template '{exc.name}' not found in --templates or templates/")]) from None
    except jinja2.UndefinedError as exc:
        raise BriefgenError([Problem(_template_frame(exc) or name, 0, f"template error: {exc.message}")]) from None
    except jinja2.exceptions.SecurityError as exc:
        raise BriefgenError([Problem(_template_frame(exc) or name, 0, f"template refused by the sandbox: {exc}")]) from None
    except UnicodeDecodeError as exc:
        raise BriefgenError([Problem(name, 0, f"a template (this one or one it uses) is not UTF-8 text ({exc.reason}); save it as UTF-8")]) from None
    except BriefgenError:
        raise  # e.g. a missing translation, found by a helper the template called
    except Exception as exc:
        # `{{ 1/0 }}` or `{{ "a" + 1 }}` in a user's template is their mistake, not briefgen's;
        # an exception that never passed through a user template is a real bug and keeps its traceback.
        where = _template_frame(exc, user_only=True)
        if where is None:
            raise
        raise BriefgenError([Problem(where, 0, f"template error: {type(exc).__name__}: {str(exc)[:200]}")]) from None


def _template_frame(exc: BaseException, user_only: bool = False) -> str | None:
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if user_only and Path(filename).is_relative_to(BUILTIN_TEMPLATES):
            pass
        elif filename.endswith((".html", ".j2", ".css", ".xml")):
            found = f"{display_path(filename)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
