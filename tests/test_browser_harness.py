"""Without Chromium the browser tests are skipped with a notice, or fail when REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_browser_tests(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"REQUIRE_BROWSER", "PYTEST_ADDOPTS"}}
    environment.update(CHROMIUM_PATH="/nonexistent/chromium", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/browser/test_checks.py"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_chromium_skips_with_a_notice():
    result = run_browser_tests()
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "Chromium not found at /nonexistent/chromium: browser tests skipped; apt-get install chromium" in result.stdout
    )
    assert "browser tests skipped: Chromium not found" in result.stdout
    assert " passed" not in result.stdout


def test_missing_chromium_fails_when_required():
    result = run_browser_tests(REQUIRE_BROWSER="1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "REQUIRE_BROWSER=1" in result.stdout
