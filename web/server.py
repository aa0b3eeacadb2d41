"""The WSGI server settings for a site that may face the public (waitress).

Waitress's defaults suit a trusted network: 100 connections, each kept for 120 s of silence,
so 110 idle half-open connections stopped the site answering for 50 s and more.  Here idle
connections are dropped after ``CHANNEL_TIMEOUT`` seconds and checked for every few
seconds, the limit is high enough that a browser's keep-alive connections never reach it,
and ``poll`` replaces ``select`` (which fails beyond 1,024 sockets).  A public site should
still run behind a reverse proxy (nginx, Caddy), which buffers slow clients and limits
rates per address; see the README.
"""
from __future__ import annotations

from waitress.server import create_server

CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 15  # seconds a connection may stay silent (keep-alive, half-open)
SETTINGS = {
    "connection_limit": CONNECTION_LIMIT,
    "channel_timeout": CHANNEL_TIMEOUT,
    "cleanup_interval": 5,  # how often idle connections are looked for
    "asyncore_use_poll": True,
    "backlog": 1024,
    "max_request_header_size": 64 * 1024,  # a long search URL fits; a header flood does not
    "max_request_body_size": 1024 * 1024,  # the site takes GETs only
    "expose_tracebacks": False,
    "ident": "vnsearch",
}
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"}


def make_server(app, host: str, port: int, threads: int = 4, trusted_proxy: str | None = None, **overrides):
    """A waitress server for ``app`` with the public settings (``port=0`` picks a free port)."""
    settings = {**SETTINGS, **overrides}
    if trusted_proxy:
        # Only the proxy's own X-Forwarded-* headers are believed; others are removed.
        settings.update(trusted_proxy=trusted_proxy, trusted_proxy_headers=PROXY_HEADERS,
                        clear_untrusted_proxy_headers=True)
    return create_server(app, host=host, port=port, threads=threads, **settings)
