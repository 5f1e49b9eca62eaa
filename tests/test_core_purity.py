"""prep/core holds pure rules: no Flask, no SQLAlchemy, no I/O modules."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "prep" / "core"
FORBIDDEN = {
    "flask",
    "flask_login",
    "flask_wtf",
    "flask_sqlalchemy",
    "flask_mail",
    "sqlalchemy",
    "requests",
    "socket",
    "smtplib",
    "subprocess",
    "os",
    "pathlib",
    "shutil",
    "sqlite3",
    "psycopg",
    "urllib",
    "http",
    "io",
    "prep.models",
    "prep.extensions",
    "prep.bank",
}


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_imports_nothing_doing_io():
    offenders = []
    files = sorted(CORE.rglob("*.py"))
    assert files
    for path in files:
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_core_does_not_call_now_or_today():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        text = path.read_text()
        for call in ("datetime.now(", "date.today(", "datetime.utcnow(", "time.time("):
            if call in text:
                offenders.append(f"{path.name}: {call}")
    assert offenders == []
