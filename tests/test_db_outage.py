"""The database briefly unavailable: a clear 503, then recovery without a restart.

A small TCP proxy sits between the app and PostgreSQL; stopping it is the outage.
"""

import contextlib
import os
import socket
import threading

import pytest
from sqlalchemy.engine import make_url

from prep import create_app
from tests.conftest import BASE_CONFIG, csrf_token


class Proxy:
    """Forwards loopback connections to PostgreSQL until stopped; can start again on the same port."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.close()
        self.connections: list[socket.socket] = []
        self.running = False

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self):
        self.running = False
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        for conn in self.connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self.connections.clear()

    def _accept(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL: TEST_DATABASE_URL is not set")
def test_outage_gives_503_and_the_app_recovers(database_url, smtp_server):
    if not database_url.startswith("postgresql"):
        pytest.skip("the outage is simulated in front of PostgreSQL")
    url = make_url(database_url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    app = create_app(
        {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
        }
    )
    client = app.test_client()
    try:
        token = csrf_token(client)
        assert (
            client.post("/login", data={"email": "x@example.com", "password": "y", "csrf_token": token}).status_code
            == 401
        )
        proxy.stop()
        down = client.post("/login", data={"email": "x@example.com", "password": "y", "csrf_token": token})
        assert down.status_code == 503
        assert "briefly unavailable" in down.get_data(as_text=True)
        assert down.headers["Retry-After"] == "5"
        api_down = client.get("/api/v1/me", headers={"Authorization": "Bearer cmaa_x"})
        assert api_down.status_code == 503 and api_down.json["error"]["code"] == "service_unavailable"
        proxy.start()
        again = client.post("/login", data={"email": "x@example.com", "password": "y", "csrf_token": token})
        assert again.status_code == 401
    finally:
        proxy.stop()
        from prep.extensions import db

        with app.app_context():
            db.engine.dispose()
