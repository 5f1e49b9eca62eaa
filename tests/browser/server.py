"""A real app server (gunicorn in a subprocess) on a free loopback port, for the browser tests.

Each server gets its own SQLite file, migrated with `flask db upgrade` (and `flask bank sync`
once that command exists), and sends its email to the aiosmtpd server the fixture started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.mailbox import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


class LiveServer:
    """One gunicorn process serving `app_spec` (default: the real `wsgi:app`)."""

    def __init__(
        self,
        workdir: Path,
        smtp_port: int,
        env: dict[str, str] | None = None,
        app_spec: str = "wsgi:app",
    ):
        self.workdir = workdir
        self.database = workdir / "browser.sqlite3"
        self.app_spec = app_spec
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        self.env = {
            **os.environ,
            "APP_ENV": "testing",
            "SECRET_KEY": "browser-tests-secret-key-not-for-production",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "RATELIMIT_ENABLED": "0",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "MAIL_DEFAULT_SENDER": "CMAA Prep <no-reply@example.test>",
            "MAIL_SUPPRESS_SEND": "0",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def _flask(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", self.app_spec, *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def prepare_database(self) -> None:
        """Migrate the empty database; sync the question bank when the `bank` command exists."""
        upgrade = self._flask("db", "upgrade")
        if upgrade.returncode != 0:
            raise RuntimeError(f"flask db upgrade failed:\n{upgrade.stdout}\n{upgrade.stderr}")
        sync = self._flask("bank", "sync")
        if sync.returncode != 0 and "No such command 'bank'" not in sync.stderr:
            raise RuntimeError(f"flask bank sync failed:\n{sync.stdout}\n{sync.stderr}")

    def start(self, template: Path | None = None) -> LiveServer:
        """Serve; the database is a copy of `template` when given, else migrated here."""
        if template is not None:
            shutil.copyfile(template, self.database)
        else:
            self.prepare_database()
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "1",  # one process: the in-memory rate-limit storage must be shared by all requests
                "--threads",
                "4",
                "--graceful-timeout",
                "2",
                "--no-control-socket",  # its default path is shared by every gunicorn on the machine
                "--bind",
                f"127.0.0.1:{self.port}",
                self.app_spec,
            ],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the app server did not answer on {self.url} within {START_TIMEOUT} s:\n{self.log()}")

    def log(self, last: int | None = None) -> str:
        """The server's output (gunicorn and app log), or its `last` lines."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-last:]) if last else text

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_live_server(tmp_path_factory, smtp_server, name: str, template: Path | None = None, **kwargs) -> LiveServer:
    """Start a server in a fresh temporary folder, sending email to the session's SMTP server."""
    controller, _ = smtp_server
    return LiveServer(tmp_path_factory.mktemp(name), controller.port, **kwargs).start(template)
