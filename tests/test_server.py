"""The real waitress server with the public settings: idle connections do not stop the site."""
from __future__ import annotations

import json
import socket
import threading
import urllib.request

import pytest

from web.app import create_app
from web.server import make_server
from web.serving import close_engine

IDLE = 150  # more than waitress's default connection limit (100)


@pytest.fixture
def live_server(sample_index):
    """The site over the sample index on a free loopback port, in a thread."""
    app = create_app({"INDEX_DIR": str(sample_index)})
    server = make_server(app, "127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    stop(server)
    thread.join(10)
    close_engine(app)


def stop(server) -> None:
    """Close the server's every connection, so its loop ends and no socket is left open."""
    server.task_dispatcher.shutdown()
    for channel in list(server._map.values()):
        channel.close()


def test_idle_half_open_connections_do_not_stop_the_site(live_server):
    port = int(live_server.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(IDLE)]
    try:
        for s in idle[:50]:
            s.sendall(b"GET /api/search?q=ngh")  # a request that never ends
        with urllib.request.urlopen(f"{live_server}/api/search?q=Long+An", timeout=10) as r:
            assert r.status == 200 and json.load(r)["total"] >= 1
    finally:
        for s in idle:
            s.close()


def test_a_proxy_is_believed_only_when_named(sample_index):
    app = create_app({"INDEX_DIR": str(sample_index)})
    server = make_server(app, "127.0.0.1", 0, trusted_proxy="127.0.0.1")
    plain = make_server(app, "127.0.0.1", 0)
    try:
        assert server.adj.trusted_proxy == "127.0.0.1" and server.adj.clear_untrusted_proxy_headers
        assert plain.adj.trusted_proxy is None
    finally:
        stop(server)
        stop(plain)
        close_engine(app)
