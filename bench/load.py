"""Load on the real server: N clients for T seconds on loopback, optionally during live updates.

Starts ``vnsearch serve`` on 127.0.0.1 (never another address) on a free port, runs
``--clients`` threads with keep-alive connections for ``--seconds`` through a fixed mix —
search pages, filtered searches, article pages (HTML and JSON), the JSON API, facet values,
exports — and, with ``--update-with NEW.jsonl REPLACE.jsonl``, indexes the first file and
then the second in another process meanwhile.  Prints requests/s, p50/p95/p99 per kind,
status counts, errors, the server's RSS at start and end, and checks the related-articles
lists: every answer for one article from one index generation must be the same, and those
from the last generation must equal a serial run's (one process, one thread, after the load).

    .venv/bin/python bench/load.py --index DIR --clients 16 --seconds 60 \\
        [--update-with NEW.jsonl REPLACE.jsonl [--until-updated]] [--threads 4] [--seed 13]

Bounded: at most 600 s and ``--max-requests`` requests; the server and the indexer are
stopped at the end whatever happens.  With ``--until-updated`` the clients keep going past
``--seconds`` until the updater has finished and ``AFTER_UPDATE`` seconds more, so every
update happens under load and the last generation is read under load too.  The server's
CPU time is printed beside the wall time: on a shared machine it says what the requests
cost, whatever the other processes took.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"  # loopback only, by design: this script never targets another machine
QUERIES = ["nghị quyết trung ương 4", "nghi quyet trung uong", "xây dựng Đảng", "cán bộ đảng viên",
           "chống tham nhũng", "Quốc hội", "bầu cử", "kinh tế xã hội", "giáo dục", "an ninh trật tự",
           "Hà Nội", "thành phố Hồ Chí Minh", "\"chỉnh đốn Đảng\"", "tham nhung lang phi", "biên giới",
           "nông thôn", "Bộ Chính trị", "đại hội Đảng", "hội nghị", "Thủ tướng"]
AFTER_UPDATE = 15  # seconds of load on the last generation (--until-updated)
EXPORT_QUERIES = ["\"chỉnh đốn Đảng\"", "tham nhũng Bộ Chính trị", "bầu cử Quốc hội", "biên giới"]
# (kind, share of requests): a fixed mix, drawn with the seeded random generator.
MIX = [("search", 25), ("filtered", 15), ("doc_json", 20), ("doc_page", 8), ("api_search", 20),
       ("facet", 6), ("overview", 3), ("export", 3)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def start_server(index_dir: str, threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "search", "serve", "--index", index_dir, "--host", HOST, "--port", str(port),
         "--threads", str(threads)],
        # A file, not a pipe: a server whose unread pipe fills (warnings, tracebacks) would stall.
        stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT, start_new_session=True)
    proc.log = log
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {tail(proc.log, 2000)}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/api/")
            conn.getresponse().read()
            conn.close()
            return proc, port
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise SystemExit("the server did not answer within 300 s")


def tail(log, chars: int) -> str:
    """The end of a child's stderr file."""
    log.seek(0)
    return log.read().decode(errors="replace")[-chars:]


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a child started by this script (its own process group), then wait for it."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def get(conn_box: list, port: int, path: str) -> tuple[int, bytes, dict]:
    """One GET on a kept-alive connection (reopened after an error)."""
    if conn_box[0] is None:
        conn_box[0] = http.client.HTTPConnection(HOST, port, timeout=60)
    conn = conn_box[0]
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        headers = {k.lower(): v for k, v in r.getheaders()}
        if headers.get("connection", "").lower() == "close":
            conn.close()
            conn_box[0] = None
        return r.status, body, headers
    except Exception:
        conn.close()
        conn_box[0] = None
        raise


class Run:
    """What the clients saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: Counter = Counter()
        self.errors: Counter = Counter()
        self.related: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
        self.examples_5xx: list[str] = []
        self.until = float("inf")  # when the clients stop (moved by --until-updated)


def request_for(kind: str, rng: random.Random, ids: list[str], facets: dict) -> str:
    q = rng.choice(QUERIES)
    if kind == "search":
        return "/?" + urlencode({"q": q, "page": rng.choice([1, 1, 1, 2])})
    if kind == "filtered":
        name = rng.choice([n for n in facets if facets[n]])
        params = [("q", q), (name, rng.choice(facets[name]))]
        if rng.random() < 0.3:  # two facets at once, often with no hit left
            other = rng.choice([n for n in facets if facets[n] and n != name])
            params.append((other, rng.choice(facets[other])))
        return "/?" + urlencode(params)
    if kind == "doc_json":
        return "/api/doc/" + quote(rng.choice(ids), safe="")
    if kind == "doc_page":
        return "/doc/" + quote(rng.choice(ids), safe="") + "?" + urlencode({"q": q})
    if kind == "api_search":
        return "/api/search?" + urlencode({"q": q, "sort": rng.choice(["relevance", "date"]), "size": 20})
    if kind == "facet":
        return "/api/facets/province?" + urlencode({"q": q})
    if kind == "overview":
        return "/api/overview"
    return "/export.csv?" + urlencode({"q": rng.choice(EXPORT_QUERIES)})


def client(n: int, port: int, max_requests: int, seed: int, ids, facets, run: Run) -> None:
    rng = random.Random(seed * 1000 + n)
    kinds = [k for k, share in MIX for _ in range(share)]
    box = [None]
    for _ in range(max_requests):
        if time.time() >= run.until:
            break
        kind = rng.choice(kinds)
        path = request_for(kind, rng, ids, facets)
        started = time.perf_counter()
        try:
            status, body, headers = get(box, port, path)
        except Exception as exc:  # noqa: BLE001 — every failure is counted, none stops the client
            with run.lock:
                run.errors[type(exc).__name__] += 1
            continue
        took = time.perf_counter() - started
        related = None
        if kind == "doc_json" and status == 200:
            related = tuple(s["id"] for s in json.loads(body)["similar"])
        with run.lock:
            run.latency[kind].append(took)
            run.status[status] += 1
            if status >= 500 and len(run.examples_5xx) < 10:
                run.examples_5xx.append(f"{status} {path}")
            if related is not None:
                run.related[(path.rsplit("/", 1)[1], headers.get("x-index-generation", "?"))].add(related)
    if box[0] is not None:
        box[0].close()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000 if values else float("nan")


def corpus_sample(port: int) -> tuple[list[str], dict[str, list[str]]]:
    """Article ids (from a few searches) and facet values (from the overview) to ask for."""
    box = [None]
    ids: list[str] = []
    for q in QUERIES[:8]:
        for page in (1, 2):
            status, body, _ = get(box, port, "/api/search?" + urlencode({"q": q, "size": 50, "page": page}))
            if status == 200:
                ids += [h["id"] for h in json.loads(body)["hits"]]
    _, body, _ = get(box, port, "/api/overview")
    overview = json.loads(body)["facets"]
    facets = {name: [v["value"] for v in overview.get(name, [])[:30]] for name in ("province", "term", "resolution", "year")}
    box[0].close()
    return sorted(set(ids)), facets


def updater(index_dir: str, files: list[str], out: dict) -> subprocess.Popen:
    """Index the files one after the other in another process (the replacements second)."""
    script = " && ".join(f"{sys.executable} -m search index {json.dumps(f)} --index {json.dumps(index_dir)} --wait 600"
                         for f in files)
    out["started"] = time.time()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(["sh", "-c", script], stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT,
                            start_new_session=True)
    proc.log = log
    return proc


def serial_related(index_dir: str, doc_ids: list[str]) -> tuple[dict[str, tuple[str, ...]], str]:
    """The related lists of a serial run: one engine, one thread, in this process."""
    from search.engine import SearchEngine

    engine = SearchEngine(index_dir)
    try:
        st = engine.state()
        out = {d: tuple(s["id"] for s in (engine.document(d) or {}).get("similar", [])) for d in doc_ids}
        return out, st.generation
    finally:
        engine.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True, help="index folder (its documents are changed by --update-with)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=4, help="server threads")
    ap.add_argument("--update-with", nargs="+", default=[], metavar="JSONL",
                    help="files indexed one after the other by another process during the load")
    ap.add_argument("--max-requests", type=int, default=200_000, help="per client")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--until-updated", action="store_true",
                    help="keep the clients going past --seconds until the updater has finished (at most 600 s)")
    args = ap.parse_args()
    if not (1 <= args.clients <= 256 and 1 <= args.seconds <= 600):
        raise SystemExit("--clients must be 1..256 and --seconds 1..600")

    server = indexer = None
    run, upd = Run(), {}
    try:
        server, port = start_server(args.index, args.threads)
        ids, facets = corpus_sample(port)
        rss_start = rss_mb(server.pid)
        print(f"server pid {server.pid} on {HOST}:{port}; {len(ids)} article ids; "
              f"{args.clients} clients × {args.seconds:g} s; server threads {args.threads}", flush=True)
        started = time.time()
        until = run.until = started + args.seconds
        cpu_start = cpu_seconds(server.pid)
        threads = [threading.Thread(target=client, args=(n, port, args.max_requests, args.seed, ids, facets, run))
                   for n in range(args.clients)]
        for t in threads:
            t.start()
        if args.update_with:
            time.sleep(min(2.0, args.seconds / 10))
            if args.until_updated:
                run.until = started + 600
            indexer = updater(args.index, args.update_with, upd)
            if args.until_updated:
                try:
                    indexer.wait(max(1.0, started + 600 - AFTER_UPDATE - time.time()))
                except subprocess.TimeoutExpired:
                    pass
                run.until = max(until, time.time() + AFTER_UPDATE)
                until = run.until
        for t in threads:
            t.join(args.seconds + 120)
        elapsed = time.time() - started
        rss_end = rss_mb(server.pid)
        cpu = cpu_seconds(server.pid) - cpu_start
        if indexer is not None:
            try:
                indexer.wait(max(1.0, until + 5 - time.time()))
            except subprocess.TimeoutExpired:
                pass
            upd["code"] = indexer.poll()
            upd["seconds"] = time.time() - upd["started"]
            upd["stderr"] = tail(indexer.log, 500) if upd["code"] is not None else ""
    finally:
        stop(indexer)
        stop(server)

    total = sum(len(v) for v in run.latency.values())
    every = [x for v in run.latency.values() for x in v]
    print(f"requests {total} in {elapsed:.1f} s: {total / elapsed:.1f} req/s; "
          f"errors {sum(run.errors.values())} {dict(run.errors)}; statuses {dict(sorted(run.status.items()))}")
    print(f"latency all: p50 {pct(every, 50):.0f} ms, p95 {pct(every, 95):.0f} ms, p99 {pct(every, 99):.0f} ms, "
          f"max {max(every) * 1000 if every else float('nan'):.0f} ms")
    for kind, _ in MIX:
        v = run.latency.get(kind, [])
        print(f"  {kind:<11} n={len(v):<6} p50 {pct(v, 50):7.0f} ms  p95 {pct(v, 95):7.0f} ms  p99 {pct(v, 99):7.0f} ms")
    print(f"server RSS: {rss_start:.0f} MB at start, {rss_end:.0f} MB at end; server CPU {cpu:.1f} s in {elapsed:.1f} s "
          f"({cpu / max(total, 1) * 1000:.0f} ms per request; the machine's load average {os.getloadavg()[0]:.1f})")
    if run.examples_5xx:
        print("5xx examples:", *run.examples_5xx, sep="\n  ")
    if args.update_with:
        state = ("finished" if upd.get("code") == 0 else f"exit {upd.get('code')} (None: still running, stopped)")
        print(f"updater: {state} after {upd.get('seconds', 0):.1f} s {upd.get('stderr', '').strip()[-300:]}")

    # Related lists: one answer per (article, generation); the last generation's equal a serial run's.
    inconsistent = [k for k, answers in run.related.items() if len(answers) > 1]
    serial, last = serial_related(args.index, sorted({unquote(d) for d, _ in run.related}))
    at_last = {(d, g): a for (d, g), a in run.related.items() if g == last}
    differ = [d for (d, _), answers in at_last.items() if answers != {serial[unquote(d)]}]
    generations = sorted({g for _, g in run.related})
    print(f"related lists: {len(run.related)} (article, generation) pairs over {len(generations)} generation(s); "
          f"{len(inconsistent)} with more than one answer; {len(at_last)} from the last generation, "
          f"{len(differ)} differing from a serial run")
    ok = not run.errors and not any(s >= 500 for s in run.status) and not inconsistent and not differ
    print("RESULT", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
