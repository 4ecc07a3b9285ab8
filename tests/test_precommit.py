"""A content repository runs briefgen's hooks through pre-commit (.pre-commit-hooks.yaml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CONTENT, ROOT

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def content_repo(tmp_path_factory) -> Path:
    """A content repository as an organisation keeps one: content/ under git, nothing of briefgen."""
    repo = tmp_path_factory.mktemp("content-repo")
    shutil.copytree(CONTENT, repo / "content")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def try_repo(repo: Path) -> subprocess.CompletedProcess:
    """Run every hook briefgen ships on REPO, installing briefgen from this checkout as pre-commit does."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(ROOT / ".venv" / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def test_hooks_pass_on_good_content_and_name_the_problem_in_bad(content_repo):
    good = try_repo(content_repo)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "briefgen check" in good.stdout and "briefgen i18n status --strict" in good.stdout
    assert good.stdout.count("Passed") == 2

    theme = content_repo / "content" / "themes" / "04-energy.yaml"
    text = theme.read_text(encoding="utf-8")
    theme.write_text(text.replace("authors: [", "authors: [nobody, ", 1), encoding="utf-8")
    bad = try_repo(content_repo)
    theme.write_text(text, encoding="utf-8")
    assert bad.returncode == 1
    assert "unknown author id 'nobody'; use an id from people or organizations in report.yaml" in bad.stdout
    assert "content/themes/04-energy.yaml:" in bad.stdout and "Traceback" not in bad.stdout
