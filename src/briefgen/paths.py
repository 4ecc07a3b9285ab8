"""Where the project's own assets live (kept free of imports: the build's no-op path uses it)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUILTIN_TEMPLATES = PROJECT_ROOT / "templates"
