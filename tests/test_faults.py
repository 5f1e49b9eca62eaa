"""Faults against a real gunicorn server: a worker killed mid-exam, two tabs on one attempt."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser.server import PROJECT_ROOT, LiveServer
from tests.quizbank import write_exam_bank


class Http:
    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")


@pytest.fixture(scope="module")
def server(tmp_path_factory, smtp_server):
    controller, _ = smtp_server
    workdir = tmp_path_factory.mktemp("faults")
    bank = write_exam_bank(workdir / "bank")
    live = LiveServer(workdir, controller.port, env={"QUESTION_BANK_PATH": str(bank)})
    live.prepare_database()
    env = live.env
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "users"]
    subprocess.run(
        [*flask, "create", "--email", "kim@example.com", "--password", "a long passphrase"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    token = subprocess.run(
        [*flask, "token", "--email", "kim@example.com"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The database is ready: start serving it without migrating again.
    live.start(template=_copy(live.database, workdir))
    yield live, Http(live.url, token)
    live.stop()


def _copy(path, workdir):
    target = workdir / "template.sqlite3"
    target.write_bytes(path.read_bytes())
    return target


def _workers(master_pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_killed_worker_loses_no_acknowledged_answer(server):
    live, http = server
    status, attempt = http.call("POST", "/api/v1/attempts", {"mode": "exam"})
    assert status == 201
    acknowledged = {}
    for item in attempt["items"][:10]:
        choice = item["position"] % 4
        status, body = http.call(
            "PUT",
            f"/api/v1/attempts/{attempt['id']}/items/{item['position']}",
            {"choice": choice, "flagged": choice == 0},
        )
        assert status == 200 and body["saved"]
        acknowledged[item["position"]] = choice
    [worker] = _workers(live.process.pid)
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = _workers(live.process.pid)
        if workers and workers != [worker]:
            try:
                status, resumed = http.call("GET", f"/api/v1/attempts/{attempt['id']}")
                break
            except (ConnectionError, OSError):
                pass
        time.sleep(0.2)
    else:
        pytest.fail("gunicorn did not replace the killed worker")
    assert status == 200 and resumed["status"] == "open"
    saved = {i["position"]: i["choice"] for i in resumed["items"] if i["choice"] is not None}
    assert saved == acknowledged
    assert all(i["flagged"] == (acknowledged.get(i["position"]) == 0) for i in resumed["items"])
    # The learner carries on where they were.
    assert http.call("PUT", f"/api/v1/attempts/{attempt['id']}/items/11", {"choice": 2})[0] == 200


def test_two_tabs_last_write_wins_per_item(server):
    live, http = server
    tab_a, tab_b = http, Http(live.url, http.token)
    status, attempt = tab_a.call("POST", "/api/v1/attempts", {"mode": "exam"})
    url = f"/api/v1/attempts/{attempt['id']}/items"
    tab_a.call("PUT", f"{url}/1", {"choice": 0})
    tab_b.call("PUT", f"{url}/1", {"choice": 3})
    tab_a.call("PUT", f"{url}/2", {"choice": 1})
    tab_b.call("PUT", f"{url}/2", {"flagged": True})
    tab_a.call("PUT", f"{url}/3", {"choice": 2})
    _, state = tab_b.call("GET", f"/api/v1/attempts/{attempt['id']}")
    items = {i["position"]: (i["choice"], i["flagged"]) for i in state["items"][:3]}
    assert items == {1: (3, False), 2: (1, True), 3: (2, False)}
    assert sum(i["choice"] is not None for i in state["items"]) == 3
    status_a, _ = tab_a.call("POST", f"/api/v1/attempts/{attempt['id']}/submit")
    status_b, _ = tab_b.call("POST", f"/api/v1/attempts/{attempt['id']}/submit")
    assert status_a == status_b == 200
    assert tab_a.call("PUT", f"{url}/4", {"choice": 1})[0] == 409
