"""The ``vnsearch`` command line: a thin click layer over the indexer and the search facade."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from index.schema import IndexVersionError
from index.sources import BadRecord, iter_sources, sample_folder
from search.cli_output import CliError, print_result
from search.engine import IndexNotFoundError, default_index_dir, engine_for
from search.facets import FACET_LABELS, FACETS
from search.query import QueryError

EXIT_SKIPPED = 2  # some documents were skipped; the others were indexed


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _engine(index_dir):
    try:
        return engine_for(index_dir)
    except (IndexNotFoundError, IndexVersionError) as exc:
        raise CliError(str(exc)) from None


index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="VNSEARCH_INDEX",
    default=None, show_envvar=True,
    help=f"Index folder [default: {default_index_dir()}].",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnsearch")
def main():
    """vnsearch — full-text search of Vietnamese news about Party resolutions.

    Build an index with `vnsearch index`, then `vnsearch search "nghị quyết trung ương 4"`
    or `vnsearch serve` for the web site.
    """


@main.command("index")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@index_option
@click.option("--strict", is_flag=True, help="Check every record first; write nothing if any is bad.")
@click.option("--rebuild", is_flag=True, help="Build a new index aside and replace the old one (needed after an upgrade).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Analysis processes [default: up to 2].")
@click.option("--wait", "lock_timeout", type=click.FloatRange(0, 3600), default=10.0, show_default=True,
              help="Seconds to wait for another indexer to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def index_command(sources, index_dir, strict, rebuild, workers, lock_timeout, as_json):
    """Index SOURCES: folders of .txt articles, .jsonl or .jsonl.gz files.

    With no SOURCE, the bundled sample (5 articles) is indexed. A document whose id is
    already in the index replaces it. Bad records are reported with file and line and
    skipped (exit status 2); the previous index is never damaged.
    """
    from index.sources import SourceNotFoundError, check_sources
    from index.writer import DiskFullError, IndexBusyError, index_documents, validate_sources

    index_dir = index_dir or default_index_dir()
    sources = list(sources) or [sample_folder()]
    try:
        check_sources(sources)
    except SourceNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    if strict:
        good, bad = validate_sources(sources)
        if bad:
            for b in bad:
                click.echo(f"error: {b}", err=True)
            raise click.ClickException(f"{len(bad)} bad record(s); nothing was written (--strict)")
    try:
        report = index_documents(
            sources, index_dir, rebuild=rebuild, workers=workers, lock_timeout=lock_timeout,
            on_skip=lambda b: click.echo(f"skipped: {b}", err=True),
        )
    except (IndexBusyError, IndexVersionError, DiskFullError) as exc:
        raise click.ClickException(str(exc)) from None
    for left in report.cleaned:
        click.echo(f"note: removed {left}, left by an interrupted run", err=True)
    rate = report.added + report.replaced
    summary = {
        "index": str(index_dir), "added": report.added, "replaced": report.replaced,
        "skipped": len(report.skipped), "documents": report.total, "seconds": round(report.seconds, 2),
        "docs_per_second": round(rate / report.seconds, 1) if report.seconds else None,
        "chars_per_second": round(report.chars / report.seconds) if report.seconds else None,
    }
    if as_json:
        click.echo(_dumps(summary | {"skipped_records": [str(b) for b in report.skipped]}))
    else:
        click.echo(
            f"indexed {report.added} new and {report.replaced} replaced document(s) in {report.seconds:.1f} s "
            f"into {index_dir}; {report.total} in the index"
        )
        if report.skipped:
            click.echo(f"{len(report.skipped)} record(s) skipped (see above)", err=True)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _filters(**by_facet) -> dict:
    return {name: list(values) for name, values in by_facet.items() if values}


@main.command("search")
@click.argument("query", required=False, default="")
@index_option
@click.option("--province", multiple=True, help="Pre-2025 province, e.g. 'Long An' (repeatable; values OR'ed).")
@click.option("--province-new", "province_new", multiple=True, help="Post-2025 province (repeatable).")
@click.option("--term", multiple=True, help="Party term (khóa), e.g. XII or 12 (repeatable).")
@click.option("--resolution", multiple=True, help="Resolution, e.g. 'Chỉ thị 05-CT/TW' (repeatable).")
@click.option("--year", multiple=True, help="Year of publication (repeatable).")
@click.option("--source", multiple=True, help="Source site (repeatable).")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Only articles dated on or after this day.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Only articles dated on or before this day.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True)
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A .jsonl file of queries ({\"id\", \"text\"}): print one JSON line of hits per query.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object (as /api/search).")
def search_command(query, index_dir, province, province_new, term, resolution, year, source, date_from, date_to,
                   sort, limit, page, batch, as_json):
    """Search the index for QUERY.

    QUERY may hold "exact phrases", -exclusions and OR; accents are optional. With an
    empty QUERY and filters, lists the filtered articles (newest first).
    """
    engine = _engine(index_dir)
    filters = _filters(province=province, province_new=province_new, term=term, resolution=resolution,
                       year=year, source=source)
    if batch:
        _run_batch(engine, batch, limit, filters)
        return
    if not query.strip() and not filters and not (date_from or date_to):
        raise click.UsageError("give a QUERY, or filters such as --province 'Long An' to browse")
    try:
        result = engine.search(query, filters, sort, page, limit, snippets=True, date_from=date_from, date_to=date_to)
    except QueryError as exc:
        raise CliError(str(exc)) from None
    if as_json:
        click.echo(_dumps(result))
        return
    print_result(result)


def _run_batch(engine, path: Path, limit: int, filters: dict) -> None:
    """One JSON line per query: ``{"id": qid, "hits": [{"id", "score"}, ...]}``."""
    bad = 0
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line.decode("utf-8"))
                qid, text = item["id"], item["text"]
                if not isinstance(text, str):
                    raise TypeError("'text' is not a string")
            except (ValueError, KeyError, TypeError) as exc:
                click.echo(f"skipped: {path}:{lineno}: not a query object with 'id' and 'text' ({exc})", err=True)
                bad += 1
                continue
            if not text.strip():
                click.echo(_dumps({"id": qid, "hits": []}))
                continue
            try:
                result = engine.search(text, filters, size=limit, facets=False, snippets=False, suggest=False)
                hits = [{"id": h["id"], "score": h["score"]} for h in result["hits"]]
            except QueryError as exc:
                click.echo(f"warning: {path}:{lineno}: {exc}", err=True)
                hits = []
            click.echo(_dumps({"id": qid, "hits": hits}))
    if bad:
        sys.exit(EXIT_SKIPPED)


@main.command("extract")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON line per document (the default output).")
@click.option("--body", is_flag=True, help="Also print the clean body.")
def extract_command(sources, as_json, body):
    """Print what is extracted from each document of SOURCES, without indexing.

    One JSON line per document: id, title, date, source, provinces, provinces_new, terms,
    resolutions. Bad records are reported on stderr (exit status 2).
    """
    from index.extract import extract_article

    bad = 0
    for item in iter_sources(sources):
        if isinstance(item, BadRecord):
            click.echo(f"skipped: {item}", err=True)
            bad += 1
            continue
        info = extract_article(item.text, item.given)
        out = {"id": item.id, "title": info["title"], "date": info["date"], "source": info["source"],
               "provinces": info["provinces"], "provinces_new": info["provinces_new"],
               "terms": info["terms"], "resolutions": info["resolutions"]}
        if body:
            out["body"] = info["body"]
        click.echo(_dumps(out))
    if bad:
        sys.exit(EXIT_SKIPPED)


@main.command("stats")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def stats_command(index_dir, as_json):
    """Show the number of documents, size and facet values of the index."""
    from whoosh import index as whoosh_index

    from index.schema import INDEX_NAME
    from index.writer import index_stats

    index_dir = index_dir or default_index_dir()
    if not whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME):
        # Nothing there at all: say so, not that some other program built it.
        raise CliError(f"no index at {index_dir}; build one with `vnsearch index`")
    try:
        stats = index_stats(index_dir)
    except IndexVersionError as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 — Whoosh raises its own EmptyIndexError and OSError
        raise CliError(f"no index at {index_dir}; build one with `vnsearch index` ({exc})") from None
    if as_json:
        click.echo(_dumps(stats))
        return
    labels = {"resolutions": "resolution", "terms": "term", "provinces": "province",
              "provinces_new": "province_new"}
    click.echo(f"Chỉ mục          {stats['index']}")
    click.echo(f"Số bài viết      {stats['documents']}")
    size = f"{stats['size_bytes'] / 1e6:.1f}".replace(".", ",")
    click.echo(f"Dung lượng       {size} MB, {stats['segments']} phân đoạn")
    click.echo(f"Bộ phân tích     {stats['analyzer']} (định dạng {stats['format']})")
    for name, n in stats["facet_values"].items():
        click.echo(f"{FACET_LABELS.get(labels.get(name, name), name):<26} {n} giá trị")


@main.command("serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option("--connection-limit", type=click.IntRange(1, 100_000), default=None,
              help="Open connections at most [default: 1000].")
@click.option("--channel-timeout", type=click.IntRange(1, 3600), default=None,
              help="Seconds before a silent connection is closed [default: 15].")
@click.option("--trusted-proxy", default=None, metavar="ADDRESS",
              help="The reverse proxy's address, whose X-Forwarded-* headers are believed.")
def serve_command(index_dir, host, port, threads, connection_limit, channel_timeout, trusted_proxy):
    """Serve the search site and the JSON API with the waitress WSGI server."""
    # The one reference from search to web: the command line is the program's front door.
    from web.app import create_app
    from web.server import make_server
    from web.serving import close_engine, engine_of

    app = create_app({"INDEX_DIR": str(index_dir or default_index_dir())})
    try:
        engine = engine_of(app)
    except (IndexNotFoundError, IndexVersionError) as exc:
        raise CliError(str(exc)) from None
    limits = {k: v for k, v in (("connection_limit", connection_limit), ("channel_timeout", channel_timeout)) if v}
    try:
        # Bind first, then announce: a busy port is one line, not "serving" and a traceback.
        # Our own trial bind first, because waitress leaks its half-made server when it fails.
        _try_bind(host, port)
        server = make_server(app, host, port, threads, trusted_proxy, **limits)
    except OSError as exc:
        raise CliError(f"cổng {port} trên {host} không dùng được ({_socket_reason(exc)}); "
                       f"hãy chọn cổng khác, ví dụ `vnsearch serve --port {port + 1 if port < 65535 else 8000}`",
                       english=False) from None
    click.echo(f"vnsearch: đang phục vụ {engine.index_dir} tại http://{host}:{server.effective_port}/  (Ctrl+C để dừng)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("vnsearch: đã dừng.")
    finally:
        server.close()
        close_engine(app)


def _try_bind(host: str, port: int) -> None:
    """Raise ``OSError`` if ``host:port`` cannot be listened on (the socket is closed again)."""
    import socket

    for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        with socket.socket(family, kind, proto) as trial:
            trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress does
            trial.bind(address)
        return


def _socket_reason(exc: OSError) -> str:
    """Why a server could not listen, in the CLI's language."""
    import errno

    reasons = {errno.EADDRINUSE: "một chương trình khác đang dùng cổng này",
               errno.EACCES: "không có quyền dùng cổng này",
               errno.EADDRNOTAVAIL: "địa chỉ này không thuộc máy này"}
    return reasons.get(exc.errno, f"lỗi hệ thống {exc.errno}")


if __name__ == "__main__":
    main()
