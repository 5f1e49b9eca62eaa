"""Benchmark `flask bank sync` on a generated 10,000-item bank.

Reports, for SQLite (and PostgreSQL when TEST_DATABASE_URL is set): the first sync (all
items added), a sync with nothing changed, a sync after one file of 100 items changed, and as
baselines in the same run, the time to parse the files alone and to run `flask --version`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bankfiles import item, write_bank  # noqa: E402

ITEMS, PER_FILE = 10_000, 100
RESULTS = ROOT / "bench" / "results" / "bank_sync.md"
DOMAINS = [
    "foundational-knowledge",
    "communication-professionalism",
    "law-ethics-compliance",
    "scheduling",
    "patient-encounter",
    "billing-revenue-cycle",
    "administrative-procedures",
]


def generate(folder: Path, tag: str = "") -> None:
    files = {}
    for f in range(ITEMS // PER_FILE):
        files[f"gen/f{f:03d}.yaml"] = [
            item(
                f"g{f}-{i}",
                domain=DOMAINS[(f + i) % 7],
                answer="ABCD"[i % 4],
                stem=f"Generated question {f}-{i}{tag}: which claim number {f * PER_FILE + i} is right?",
            )
            for i in range(PER_FILE)
        ]
    write_bank(folder, files)


def touch_one_file(folder: Path) -> None:
    path = folder / "items" / "gen" / "f000.yaml"
    path.write_text(path.read_text().replace("Generated question", "Edited question"))


def flask(env: dict, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = out.stdout.strip().splitlines()
    return time.perf_counter() - started, lines[-1] if lines else ""


def run(database_url: str, label: str) -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "bank"
        generate(bank)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "QUESTION_BANK_PATH": str(bank),
            "SECRET_KEY": "bench",
            "APP_ENV": "testing",
        }
        flask(env, "db", "upgrade")
        rows = [("flask --version (process start baseline)", *flask(env, "--version"))]
        parse_started = time.perf_counter()
        subprocess.run(
            [
                str(ROOT / ".venv/bin/python"),
                "-c",
                "import sys; from pathlib import Path; from prep.bank.validate import read_bank;"
                "from prep.bank.blueprint_file import load_blueprint;"
                f"b=Path({str(bank)!r}); r=read_bank(b/'items', load_blueprint(b)); print(len(r.items))",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        rows.append(("parse and validate files only (baseline)", time.perf_counter() - parse_started, ""))
        rows.append(("first sync: 10,000 added", *flask(env, "bank", "sync")))
        rows.append(("sync, nothing changed", *flask(env, "bank", "sync")))
        touch_one_file(bank)
        rows.append(("sync, one file (100 items) changed", *flask(env, "bank", "sync")))
        return [(f"{label}: {name}", secs, out) for name, secs, out in rows]


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += run(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        schema = f"bench_{secrets.token_hex(4)}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in base else "?"
            results += run(f"{base}{sep}options=-csearch_path%3D{schema}", "PostgreSQL")
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    lines = ["| scenario | seconds (wall, incl. process start) | output |", "|---|---:|---|"]
    lines += [f"| {name} | {secs:.2f} | {out} |" for name, secs, out in results]
    load = os.getloadavg()[0]
    lines += [
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores, "
        f"load average {load:.1f} at the end of the run.",
    ]
    report = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report)
    write_readme_block("bench-sync", report)
    print(report)


def write_readme_block(name: str, text: str) -> None:
    """Replace the README's <!-- name:start --> ... <!-- name:end --> block with `text`."""
    readme = ROOT / "README.md"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = readme.read_text()
    if start in content and end in content:
        head, rest = content.split(start, 1)
        readme.write_text(f"{head}{start}\n{text.rstrip()}\n{end}{rest.split(end, 1)[1]}")


if __name__ == "__main__":
    main()
