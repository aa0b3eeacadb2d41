"""Seeded hostile requests against the real server on loopback: 5xx, tracebacks, slowest.

Starts ``vnsearch serve`` on 127.0.0.1 (never another address), sends ``--requests``
requests (at least 10,000 by default) built by a seeded random generator from the site's
routes and parameters: huge and odd numbers, long and broken query strings (invalid UTF-8,
lone surrogates, NUL, control characters), hundreds of filter values, odd methods, bad Host
headers, traversal paths.  Prints status counts, every 5xx and every body that shows a
traceback, the slowest requests, and the time of the two URLs of issue 13's finding 2
(a 7.4 KB and a 43 KB filtered search with no hit).

    .venv/bin/python bench/fuzz.py --index DIR [--requests 10000] [--clients 4] [--seed 13]
"""
from __future__ import annotations

import argparse
import http.client
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import HOST, start_server, stop  # noqa: E402

ROUTES = ["/", "/api/search", "/export.csv", "/export.json", "/api/export", "/facets/province", "/facets/term",
          "/api/facets/resolution", "/api/facets/year", "/api/facets/nope", "/tong-quan", "/api/overview",
          "/api/", "/doc/", "/api/doc/", "/static/style.css", "/static/../../etc/passwd", "/favicon.ico",
          "/no-such-page"]
PARAMS = ["q", "province", "province_new", "term", "resolution", "year", "source", "sort", "page", "size",
          "limit", "contains", "format", "date_from", "date_to"]
WORDS = ["nghị quyết", "trung ương", "khóa XII", "Long An", "tham nhũng", "\"chỉnh đốn Đảng\"", "OR", "-", "\"",
         "NQ TW4", "05-CT/TW", "khoá", "uỷ", "đ", "*", "?", "(", ")", "AND", "NOT", "~2", "^3", "title:", "[a TO z]"]
ODD = ["", " ", "0", "-1", "²", "٣", "1e9", "9" * 30, "9" * 5000, "NaN", "null", "[]", "{}", "%00", "\x00",
       "\u202e", "\ufeff", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "\r\nX-Injected: 1",
       "a" * 2000, "ü" * 600, "\U0001F600" * 50, "=cmd|' /C calc'!A0"]
RAW_ODD = ["%ff%fe", "%ed%a0%80", "%c0%af", "%", "%zz", "%00", "%0d%0a", "+" * 100]
HOSTS = [None, "x" * 300, "bad host<>", "[::1", "example.com:99999", "", "a..b", "ví-dụ.vn", "localhost:abc"]
METHODS = ["GET"] * 20 + ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"]


def value(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
    if r < 0.8:
        return rng.choice(ODD)
    return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0x80, 0x2FFF), rng.randint(0, 31)]))
                   for _ in range(rng.randint(1, 40)))


def build(rng: random.Random) -> tuple[str, str, str | None]:
    """(method, path with query, Host header or None) of one random request."""
    route = rng.choice(ROUTES)
    if route.endswith("/doc/"):
        route += quote(value(rng), safe="") or "x"
    pairs = []
    for _ in range(rng.choice([0, 1, 2, 3, 5, 8])):
        pairs.append((rng.choice(PARAMS), value(rng)))
    if rng.random() < 0.08:  # hundreds of filter values
        name = rng.choice(PARAMS[1:7])
        pairs += [(name, f"Giá trị {i}") for i in range(rng.choice([31, 101, 300, 700]))]
    query = urlencode(pairs, errors="surrogatepass") if pairs else ""
    if rng.random() < 0.15:
        query += ("&" if query else "") + rng.choice(PARAMS) + "=" + rng.choice(RAW_ODD)
    path = route + ("?" + query if query else "")
    method = rng.choice(METHODS)
    host = rng.choice(HOSTS) if rng.random() < 0.1 else None
    return method, path, host


def send(port: int, method: str, path: str, host: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host.encode("utf-8"))  # bytes: a non-ASCII Host goes out as is
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def finding_2_url(size: int) -> str:
    """A filtered search with no hit, about ``size`` bytes long: values spread over the facets."""
    names = ["province", "term", "resolution", "year", "source", "province_new"]
    pairs = [("q", "nghị quyết trung ương 4")]
    while len(urlencode(pairs)) < size - 40:
        i = len(pairs)
        pairs.append((names[i % len(names)], f"Nghị quyết Trung ương {i} khóa XII"))
    return "/?" + urlencode(pairs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=4, help="server threads")
    args = ap.parse_args()
    if not 1 <= args.requests <= 200_000 or not 1 <= args.clients <= 64:
        raise SystemExit("--requests must be 1..200000 and --clients 1..64")

    rng = random.Random(args.seed)
    plan = [build(rng) for _ in range(args.requests)]
    status, failures, tracebacks, timings = Counter(), [], [], []
    lock = threading.Lock()
    server = None
    try:
        server, port = start_server(args.index, args.threads)
        print(f"server pid {server.pid} on {HOST}:{port}; {args.requests} requests, seed {args.seed}, "
              f"{args.clients} clients", flush=True)

        def worker(k: int) -> None:
            for method, path, host in plan[k::args.clients]:
                started = time.perf_counter()
                try:
                    code, body = send(port, method, path, host)
                except Exception as exc:  # noqa: BLE001 — counted, not fatal
                    code, body = f"error {type(exc).__name__}", b""
                took = time.perf_counter() - started
                with lock:
                    status[code] += 1
                    timings.append((took, method, path, host))
                    if isinstance(code, str) or code >= 500:
                        failures.append((code, method, path[:200], host))
                    if b"Traceback" in body or b'File "' in body:
                        tracebacks.append((code, method, path[:200]))

        t0 = time.perf_counter()
        send(port, "GET", "/?q=ngh%E1%BB%8B+quy%E1%BA%BFt", None)  # the first search loads what searches share
        print(f"first search: {(time.perf_counter() - t0) * 1000:.0f} ms (not counted)", flush=True)
        started = time.time()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - started

        # Finding 2: a 7.4 KB and a 43 KB URL; the page and the API, each three times (median).
        big = {}
        for label, url in (("7.4 KB", finding_2_url(7_400)), ("43 KB", finding_2_url(43_000))):
            for where, u in (("page", url), ("api", url.replace("/?", "/api/search?", 1))):
                runs = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    code, body = send(port, "GET", u, None)
                    runs.append(time.perf_counter() - t0)
                big[(label, where)] = (len(u), code, sorted(runs)[1], len(body))
    finally:
        stop(server)

    print(f"{args.requests} requests in {elapsed:.1f} s; statuses {dict(sorted(status.items(), key=str))}")
    print(f"5xx or connection errors: {len(failures)}; bodies with a traceback: {len(tracebacks)}")
    for f in failures[:20]:
        print("  failure:", f)
    for t in tracebacks[:10]:
        print("  traceback:", t)
    timings.sort(reverse=True)
    print("slowest:")
    for took, method, path, host in timings[:8]:
        print(f"  {took * 1000:8.0f} ms  {method} {path[:110]}{' Host=' + repr(host)[:30] if host is not None else ''}")
    over = sum(1 for t in timings if t[0] > 2)
    print(f"requests over 2 s: {over}")
    for (label, where), (size, code, took, body) in big.items():
        print(f"finding 2, {label} URL ({size:,} bytes) on the {where}: {code} in {took * 1000:.0f} ms "
              f"(median of 3), {body:,} bytes")
    ok = not failures and not tracebacks and not over and all(v[2] < 0.5 for v in big.values())
    print("RESULT", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
