"""The one Jinja2 environment every output renders through.

Users override a built-in template by putting a file of the same name in a folder passed with
`--templates DIR`, or extend one with `{% extends "builtin/NAME" %}` and replace a block
(Pelican's ChoiceLoader + PrefixLoader). Templates may come from users, so they render in a
sandbox, with StrictUndefined so a misspelt variable fails instead of printing nothing.

Templates see data, not capabilities. The context is checked against an allow-list (plain
values, containers of them, read-only views of the content model, and helpers that return text),
the sandbox lets a template read only the attributes that list names and call only those helpers,
and the loader reads only regular files inside the template folders, after resolving links.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import threading
import types
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..errors import BriefgenError, Problem, display_path
from ..files import folder_file

from ..paths import BUILTIN_TEMPLATES, PROJECT_ROOT  # noqa: F401  (re-exported)


def make_environment(user_dir: Path | None = None) -> jinja2.Environment:
    """Return the environment for USER_DIR's overrides on top of the built-in templates."""
    # Jinja reloads a changed file by itself, but a template it found in the built-in folder stays
    # found there: an override added later (while `watch` runs) needs a new environment.
    listing = tuple(sorted(str(p) for p in user_dir.rglob("*") if p.is_file())) if user_dir is not None and user_dir.is_dir() else ()
    return _environment(user_dir, listing)


@lru_cache(maxsize=8)
def _environment(user_dir: Path | None, listing: tuple[str, ...]) -> jinja2.Environment:
    builtin = FolderLoader(BUILTIN_TEMPLATES)
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"builtin": builtin})]
    if user_dir is not None:
        if not user_dir.is_dir():
            raise BriefgenError([Problem(str(user_dir), 0, "no such templates folder; pass --templates DIR with an existing folder")])
        loaders.append(FolderLoader(user_dir))
    loaders.append(builtin)
    return TemplateSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


RENDER_SECONDS = 5.0  # the built-in templates render the full brief in 0.1 s; a user's loop may not end


class RenderTimeout(Exception):
    """A template ran past RENDER_SECONDS."""


_armed = False


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise RenderTimeout inside the block once it has run SECONDS (main thread only: SIGALRM).

    Build workers and the CLI render in their main thread; a thread (a test, an editor plugin)
    renders without a limit rather than not at all. Nested renders share the outer limit.
    """
    global _armed
    if _armed or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    _armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _armed = False


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render template NAME, turning template mistakes into one located error line."""
    context = template_context(context)
    try:
        with time_limit(RENDER_SECONDS):
            return env.get_template(name).render(context)
    except RenderTimeout as exc:
        where = _template_frame(exc, user_only=True) or name
        raise BriefgenError([Problem(where, 0, f"the template took more than {RENDER_SECONDS:g} s to render (a loop that runs too long?); simplify it")]) from None
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
    except RecursionError as exc:
        # Most often an override that extends its own name, which finds itself again, not the built-in.
        where = _template_frame(exc, user_only=True) or name
        raise BriefgenError([Problem(where, 0, "the template extends or includes itself without end; to build on a built-in "
                                               f"template, extend it by its builtin/ name, e.g. {{% extends \"builtin/{name}\" %}}")]) from None
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


# -- files ---------------------------------------------------------------------------------------


class FolderLoader(jinja2.BaseLoader):
    """Load templates from one folder, reading only regular files inside it (links resolved)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(self, environment: jinja2.Environment, template: str):
        pieces = split_template_path(template)  # refuses ".." as Jinja's own loader does
        name = "/".join(pieces)
        path = folder_file(self.folder, name)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        mtime = path.stat().st_mtime_ns
        source = path.read_bytes().decode("utf-8")
        return source, str(self.folder.joinpath(*pieces)), lambda: folder_file(self.folder, name) == path and _mtime(path) == mtime


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


# -- what templates may hold --------------------------------------------------------------------

# Values a template may hold and read, by exact type (a subclass could add methods).
PLAIN = frozenset({str, Markup, int, bool, float, type(None), dt.date, dt.datetime, dt.time, dt.timedelta})
CONTAINERS = frozenset({list, tuple, dict, set, frozenset, range})
# Jinja's own objects: loop, namespace(), macros and caller(), super() and self.block(), imports,
# and groupby's groups.
JINJA = frozenset({
    jinja2.runtime.LoopContext, jinja2.runtime.Macro, jinja2.runtime.BlockReference, jinja2.runtime.TemplateReference,
    jinja2.environment.TemplateModule, jinja2.utils.Namespace, jinja2.utils.Cycler, jinja2.utils.Joiner,
    getattr(jinja2.filters, "_GroupTuple", tuple),
})
JINJA_CALLABLES = frozenset({dict, jinja2.utils.Namespace, jinja2.utils.Cycler, jinja2.utils.Joiner,
                             jinja2.sandbox.safe_range, jinja2.utils.generate_lorem_ipsum})  # the globals


@lru_cache(maxsize=1)
def views() -> dict[type, frozenset[str]]:
    """Return the read-only view types templates may hold, each with the attributes they may read.

    Content model classes expose their fields; the few methods listed compute from those fields
    and touch nothing else.
    """
    from ..content import model
    from ..audiences.declaration import Target
    from .localize import Helpers

    methods: dict[type, set[str]] = {
        model.Text: {"root", "get", "has", "universal"},
        model.Theme: {"all_notes"},
        model.Report: {"person", "recommendations", "theme"},
    }
    allowed = {
        cls: frozenset(cls.model_fields) | methods.get(cls, set())
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, model.BaseModel) and cls.__module__ == model.__name__
    }
    allowed[Target] = frozenset({"audience", "lang", "format", "paper", "variant", "theme", "themes", "options", "name", "option"})
    allowed[Helpers] = frozenset(name for name in dir(Helpers) if not name.startswith("_"))
    return allowed


@lru_cache(maxsize=1)
def helpers() -> tuple[frozenset, tuple[type, ...]]:
    """Return the functions, and the types of callable objects, that templates may call."""
    from .localize import kanji_number, katakana_label
    from .words import Words

    return frozenset({kanji_number, katakana_label}), (Words,)


def template_context(context: dict[str, Any]) -> dict[str, Any]:
    """Return CONTEXT as templates see it, refusing anything outside the allow-list.

    An object with a `template_view()` method (the Localizer, the render options) is replaced by
    what that returns; everything else must already be a plain value, a container of them, a
    model view or a helper. Anything else is briefgen's own bug, so it fails loudly.
    """
    walked: dict[int, Any] = {}
    checked = {key: _checked(value, key, walked) for key, value in context.items()}
    for value in walked.values():  # all of it passed: remember the views that cannot change
        _remember(value)
    return checked


# Model views already walked and found to hold only allowed values, by id, for as long as they
# live. Content models are frozen and never changed after loading, so one walk of the report
# serves every render of it: a render walks only what is new in its context (its sheets, its
# helpers), not the whole report again (which made each render cost O(report), a build O(report²)).
_verified: dict[int, weakref.ref] = {}


def _remember(value: Any) -> None:
    cls = type(value)
    frozen = getattr(cls, "model_config", {}).get("frozen") or getattr(getattr(cls, "__dataclass_params__", None), "frozen", False)
    if not frozen or id(value) in _verified:
        return
    key = id(value)
    # The entry goes when the object does (before its id can be reused).
    _verified[key] = weakref.ref(value, lambda _, key=key: _verified.pop(key, None))


def _is_verified(value: Any) -> bool:
    ref = _verified.get(id(value))
    return ref is not None and ref() is value


def _checked(value: Any, where: str, walked: dict[int, Any]) -> Any:
    if type(value) in PLAIN:
        return value
    if type(value) in (list, tuple, set, frozenset):
        return type(value)(_checked(v, f"{where}[{i}]", walked) for i, v in enumerate(value))
    if type(value) is dict:
        for key in value:
            if type(key) not in PLAIN:
                raise TypeError(f"template context: {where} has a {type(key).__name__} key; templates may hold only plain values")
        return {k: _checked(v, f"{where}.{k}", walked) for k, v in value.items()}
    view = getattr(type(value), "template_view", None)
    if view is not None:
        return _checked(view(value), where, walked)
    exposed = views().get(type(value))
    if exposed is not None:
        if id(value) not in walked and not _is_verified(value):
            walked[id(value)] = value
            for attr in exposed:
                member = getattr(value, attr)
                if not isinstance(member, types.MethodType):
                    _checked(member, f"{where}.{attr}", walked)
        return value
    functions, callables = helpers()
    if any(value is f for f in functions) or type(value) in callables:
        return value
    raise TypeError(f"template context: {where} is a {type(value).__module__}.{type(value).__qualname__}; templates may hold only plain values, model views and text helpers")


def _readable(obj: Any) -> frozenset[str] | None:
    """Return the attributes templates may read on OBJ (None: any the sandbox allows), or refuse."""
    cls = type(obj)
    if cls in PLAIN or cls in CONTAINERS or cls in JINJA or isinstance(obj, jinja2.Undefined):
        return None  # Jinja's immutable sandbox already limits these
    exposed = views().get(cls)
    if exposed is None:
        raise SecurityError(f"a template may not read attributes of a {cls.__name__} object")
    return exposed


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, further limited to the allow-list: a second line of defence."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._check_read(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and type(obj) is not dict and not isinstance(obj, jinja2.Undefined):
            self._check_read(obj, argument)  # x["attr"] falls back to an attribute
        return super().getitem(obj, argument)

    def _check_read(self, obj: Any, attribute: str) -> None:
        # Checked before the attribute is fetched: a property could act just by being read.
        exposed = _readable(obj)
        if exposed is not None and attribute not in exposed:
            raise SecurityError(f"a template may not read '{attribute}' of a {type(obj).__name__} object")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        try:
            exposed = _readable(obj)
        except SecurityError:
            return False
        return exposed is None or attr in exposed

    def is_safe_callable(self, obj: Any) -> bool:
        return super().is_safe_callable(obj) and _callable(obj)


def _callable(obj: Any) -> bool:
    """Return whether templates may call OBJ: text helpers, methods of readable values, Jinja's own."""
    functions, callables = helpers()
    if any(obj is f for f in (*functions, *JINJA_CALLABLES)):
        return True
    cls = type(obj)
    if cls in callables or cls in JINJA:
        return True  # W(...), macros, caller(), super(), loop(...)
    if isinstance(obj, types.FunctionType):
        # The sandbox's own wrapper around a string's format() method.
        return type(getattr(obj, "__wrapped__", None)) is types.BuiltinMethodType and type(obj.__wrapped__.__self__) in PLAIN
    if isinstance(obj, (types.MethodType, types.BuiltinMethodType)):
        owner = type(obj.__self__)
        if owner in PLAIN or owner in CONTAINERS or owner in JINJA:
            return True  # the immutable sandbox has already refused the mutating ones
        return obj.__name__ in views().get(owner, ())
    return False
