"""Load benchmark (`make bench`): the app under gunicorn against SQLite and PostgreSQL.

Seeds a 10,000-item bank and 1,000 learners with history, then drives each scenario with wrk
(64 connections, a bounded duration, loopback only) and reports requests/s, p50/p95/p99
latency, errors, and the ratio to a minimal Flask app under the same gunicorn settings,
measured in the same run. Nothing here is asserted: the numbers go to bench/results/load.md.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bank_sync import generate, write_readme_block  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "load.md"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
LEARNERS, OPEN_ATTEMPTS = 1000, 200
IDLE_SECONDS = 3
SECRET = "bench-secret-key"
# The first two are diagnostic floors, not targets: the cheapest requests the app serves, through
# the same middleware (Flask-Login, the security headers, Flask-Limiter, the session), so the table
# shows how much of the gap to the ceiling every request pays before a view does any work.
SCENARIOS = [
    ("login-page", "app floor: login page (anonymous GET)"),
    ("me", "app floor: GET /api/v1/me (Bearer token)"),
    ("question", "exam question page"),
    ("autosave", "answer autosave (PUT)"),
    ("dashboard", "dashboard"),
    ("ce-status", "CE status page"),
    ("start-exam", "start an exam (blueprint draw)"),
]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_flask(env: dict, *args: str) -> None:
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def seed(env: dict, database_url: str, bank: Path) -> list[str]:
    """Users, tokens and exam history straight into the database; returns wrk fixture lines."""
    from sqlalchemy import insert, select

    from prep import create_app
    from prep.auth.passwords import hash_password
    from prep.core import exam
    from prep.extensions import db
    from prep.models import ApiToken, Attempt, AttemptItem, Question, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, "QUESTION_BANK_PATH": str(bank)})
    rng = random.Random(7)
    now = datetime.now(UTC)
    password = hash_password("bench passphrase 1234")
    fixtures = []
    with app.app_context():
        questions = db.session.execute(select(Question.id, Question.domain, Question.current_version_id)).all()
        by_domain: dict[str, list] = {}
        for q in questions:
            by_domain.setdefault(q.domain, []).append(q)
        from prep.bank.blueprint_file import load_blueprint

        blueprint = load_blueprint(bank)
        quota = exam.pretest_quota(blueprint)
        users, tokens = [], []
        for n in range(LEARNERS):
            users.append(
                {
                    "email": f"learner{n}@bench.test",
                    "name": f"Learner {n}",
                    "password_hash": password,
                    "role": "learner",
                    "created_at": now,
                    "password_changed_at": now,
                    "session_nonce": secrets.token_hex(16),
                }
            )
        db.session.execute(insert(User), users)
        ids = dict(db.session.execute(select(User.email, User.id)).all())
        nonces = dict(db.session.execute(select(User.id, User.session_nonce)).all())
        for n in range(LEARNERS):
            secret = f"cmaa_bench_{n}_{secrets.token_hex(8)}"
            tokens.append((ids[f"learner{n}@bench.test"], secret))
        db.session.execute(
            insert(ApiToken),
            [
                {
                    "user_id": uid,
                    "name": "bench",
                    "digest": hashlib.sha256(s.encode()).hexdigest(),
                    "prefix": s[:12],
                    "created_at": now,
                }
                for uid, s in tokens
            ],
        )

        def draw():
            picked = []
            for d in blueprint.domains:
                for q in rng.sample(by_domain[d.slug], d.items + quota[d.slug]):
                    picked.append(q)
            rng.shuffle(picked)
            return picked

        def add_attempt(user_id, started, status):
            attempt = Attempt(
                user_id=user_id,
                mode="exam",
                status=status,
                timing="standard",
                settings={},
                started_at=started,
                deadline=started + timedelta(minutes=135),
                item_count=135,
                finished_at=started + timedelta(minutes=90) if status != "open" else None,
                score_correct=70 if status != "open" else None,
                score_total=110 if status != "open" else None,
            )
            db.session.add(attempt)
            db.session.flush()
            rows = []
            for pos, q in enumerate(draw(), start=1):
                order = [0, 1, 2, 3]
                rng.shuffle(order)
                choice = rng.randrange(4) if status != "open" else None
                rows.append(
                    {
                        "attempt_id": attempt.id,
                        "position": pos,
                        "question_id": q.id,
                        "version_id": q.current_version_id,
                        "domain": q.domain,
                        "scored": pos <= 110,
                        "option_order": order,
                        "choice": choice,
                        "flagged": False,
                        "correct": None if choice is None else order[choice] == 0,
                        "answered_at": None if choice is None else started,
                    }
                )
            db.session.execute(insert(AttemptItem), rows)
            return attempt.id

        serializer = app.session_interface.get_signing_serializer(app)
        for n, (uid, secret) in enumerate(tokens):
            add_attempt(uid, now - timedelta(days=30 + n % 30), "submitted")
            if n < OPEN_ATTEMPTS:
                open_id = add_attempt(uid, now, "open")
                # As a browser sends it mid-exam: with the CSRF secret that the first page with a
                # form put in the session (without it, every request would issue a new cookie).
                session = {"_user_id": f"{uid}:{nonces[uid]}", "_fresh": False, "csrf_token": secrets.token_hex(20)}
                cookie = serializer.dumps(session)
                fixtures.append(f"{secret}\t{cookie}\t{open_id}")
        db.session.commit()
        db.engine.dispose()
    return fixtures


def gunicorn(env: dict, app_spec: str, port: int, cwd: Path) -> subprocess.Popen:
    """The app (or the ceiling) under the production settings of gunicorn.conf.py, on loopback."""
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            str(GUNICORN_CONF),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{app_spec} did not start")


def wrk(port: int, scenario: str, fixtures: Path, connections: int = CONNECTIONS) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{DURATION}",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench/lua/scenario.lua"),
            f"http://127.0.0.1:{port}",
            "--",
            scenario,
            str(fixtures),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    match = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out)
    if not match:
        raise RuntimeError(f"wrk said:\n{out}")
    requests, rps, p50, p95, p99, errors = match.groups()
    return {
        "requests": int(requests),
        "rps": float(rps),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(errors),
        "load": os.getloadavg()[0],
    }


def idle() -> None:
    """Let the workers finish what wrk left queued in the listen backlog (up to 64 requests)
    before the next measurement starts: otherwise its first requests wait for them."""
    time.sleep(IDLE_SECONDS)


def probe(port: int, scenario: str, fixture_line: str) -> str:
    """One request of the scenario, as wrk would send it: its status and time, for the report."""
    token, cookie, attempt = fixture_line.split("\t")
    paths = {
        "login-page": ("GET", "/login", None),
        "me": ("GET", "/api/v1/me", None),
        "question": ("GET", f"/quiz/{attempt}/q/3", None),
        "dashboard": ("GET", "/dashboard", None),
        "ce-status": ("GET", "/ce/", None),
        "autosave": ("PUT", f"/api/v1/attempts/{attempt}/items/3", b'{"choice": 1}'),
        "start-exam": ("POST", "/api/v1/attempts", b'{"mode": "exam"}'),
    }
    method, path, body = paths[scenario]
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    if scenario != "login-page":  # anonymous, as wrk sends it
        request.add_header("Cookie", f"session={cookie}")
        request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return f"{status} in {1000 * (time.perf_counter() - started):.0f} ms"


def run_backend(label: str, database_url: str, tmp: Path) -> list[tuple[str, dict]]:
    bank = tmp / f"bank-{label}"
    generate(bank)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "QUESTION_BANK_PATH": str(bank),
        "APP_ENV": "production",
        "PREFERRED_URL_SCHEME": "http",
        "RATELIMIT_ENABLED": "0",
    }
    run_flask(env, "db", "upgrade")
    run_flask(env, "bank", "sync")
    fixtures = tmp / f"fixtures-{label}.tsv"
    fixtures.write_text("\n".join(seed(env, database_url, bank)) + "\n")
    port = free_port()
    server = gunicorn(env, "wsgi:app", port, ROOT)
    try:
        results = []
        first = fixtures.read_text().splitlines()[0]
        for scenario, name in SCENARIOS:
            print(f"{label} {scenario}: probe {probe(port, scenario, first)}", flush=True)
            if scenario == "start-exam":
                # One request at a time (no warm-up: it writes): what a learner waits for when the
                # server is not saturated.
                alone = wrk(port, scenario, fixtures, connections=1)
            else:
                wrk(port, scenario, fixtures)  # warm-up
            idle()
            results.append((f"{label}: {name}", wrk(port, scenario, fixtures)))
            idle()
        results.append((f"{label}: {SCENARIOS[-1][1]}, one connection", alone))
        return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    from sqlalchemy import create_engine, text

    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        port = free_port()
        hello = gunicorn({**os.environ}, "hello:app", port, ROOT / "bench")
        try:
            wrk(port, "hello", tmp / "none.tsv") if (tmp / "none.tsv").write_text("x\tx\t1\n") else None
            ceiling = wrk(port, "hello", tmp / "none.tsv")
        finally:
            hello.terminate()
            hello.wait(timeout=20)
        rows.append(("ceiling: hello-world Flask app", ceiling))
        rows += run_backend("SQLite", f"sqlite:///{tmp}/bench.sqlite3", tmp)
        base = os.environ.get("TEST_DATABASE_URL")
        if base:
            schema = f"load_{secrets.token_hex(4)}"
            admin = create_engine(base)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                sep = "&" if "?" in base else "?"
                rows += run_backend("PostgreSQL", f"{base}{sep}options=-csearch_path%3D{schema}", tmp)
            finally:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    lines = [
        f"{WORKERS} gunicorn workers (settings of gunicorn.conf.py), wrk with {CONNECTIONS} connections for "
        f"{DURATION} per scenario, "
        f"{LEARNERS} learners with history, {OPEN_ATTEMPTS} in an open exam, a 10,000-item bank.",
        "",
        "| scenario | req/s | ratio to ceiling | p50 ms | p95 ms | p99 ms | errors | load average |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / ceiling['rps']:.2f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {r['errors']} | {r['load']:.1f} |"
        )
    lines += [
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f} at the end; the load column is the 1-minute load average "
        "after each scenario, to which the benchmark itself adds about 2).",
    ]
    report = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report)
    write_readme_block("bench-load", report)
    print(report)


if __name__ == "__main__":
    main()
