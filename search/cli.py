"""The ``vnsearch`` command line: a thin click layer over the indexer and the search facade."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from index.schema import IndexVersionError
from index.sources import BadRecord, iter_sources, sample_folder
from search.cli_click import Group, UsageError, option, version_option
from search.cli_output import CliError, number, path_problem, print_result, seconds, skipped_line
from search.engine import IndexNotFoundError, default_index_dir, engine_for
from search.facets import FACET_LABELS, FACETS
from search.messages import vietnamese
from search.query import QueryError

EXIT_SKIPPED = 2  # some documents were skipped; the others were indexed


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _engine(index_dir):
    try:
        return engine_for(index_dir)
    except (IndexNotFoundError, IndexVersionError) as exc:
        raise CliError(str(exc)) from None


index_option = option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="VNSEARCH_INDEX",
    default=None, show_envvar=True, show_default=str(default_index_dir()), metavar="THƯ_MỤC",
    help="Thư mục chỉ mục.",
)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@version_option(package_name="vnsearch")
def main():
    """vnsearch — tìm kiếm toàn văn tin tức tiếng Việt về nghị quyết của Đảng.

    Xây dựng chỉ mục bằng `vnsearch index`, rồi tìm bằng `vnsearch search "nghị quyết trung
    ương 4"` hoặc mở trang web bằng `vnsearch serve`.
    """


@main.command("index")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar="[NGUỒN]...")
@index_option
@option("--strict", is_flag=True, help="Kiểm tra mọi bản ghi trước; có bản ghi hỏng thì không ghi gì.")
@option("--rebuild", is_flag=True, help="Xây chỉ mục mới ở chỗ khác rồi thay chỉ mục cũ (cần sau khi nâng cấp).")
@option("--workers", type=click.IntRange(1, 64), default=None, show_default="tối đa 2", metavar="SỐ",
        help="Số tiến trình phân tích.")
@option("--wait", "lock_timeout", type=click.FloatRange(0, 3600), default=10.0, show_default=True, metavar="GIÂY",
        help="Số giây chờ một lần đánh chỉ mục khác xong.")
@option("--json", "as_json", is_flag=True, help="In báo cáo dạng JSON.")
def index_command(sources, index_dir, strict, rebuild, workers, lock_timeout, as_json):
    """Đánh chỉ mục các NGUỒN: thư mục bài .txt, tệp .jsonl hoặc .jsonl.gz.

    Không có NGUỒN thì đánh chỉ mục bộ mẫu kèm theo (5 bài). Bài có mã đã có trong chỉ mục
    sẽ thay bài cũ. Bản ghi hỏng được báo kèm tệp và dòng rồi bỏ qua (mã thoát 2); chỉ
    mục trước đó không bao giờ bị hư hại.
    """
    from index.sources import missing_sources
    from index.writer import DiskFullError, IndexBusyError, index_documents, validate_sources

    index_dir = index_dir or default_index_dir()
    sources = list(sources) or [sample_folder()]
    if problems := missing_sources(sources):
        raise CliError("; ".join(skipped_line(*p.rsplit(": ", 1)) for p in problems) + "; không ghi gì cả.",
                       english=False)
    if strict:
        good, bad = validate_sources(sources)
        if bad:
            for b in bad:
                click.echo(f"Lỗi: {skipped_line(b.origin, b.reason)}", err=True)
            raise CliError(f"{number(len(bad))} bản ghi hỏng; không ghi gì cả (--strict).", english=False)
    try:
        report = index_documents(
            sources, index_dir, rebuild=rebuild, workers=workers, lock_timeout=lock_timeout,
            on_skip=_report_skip,
        )
    except (IndexBusyError, IndexVersionError, DiskFullError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:  # the index folder cannot be made or written: one line, not a traceback
        raise CliError(f"Không ghi được chỉ mục vào {index_dir} ({path_problem(exc)}); "
                       "hãy chọn thư mục khác bằng --index.", english=False) from None
    for left in report.cleaned:
        click.echo(f"Ghi chú: đã xóa {left}, do một lần chạy bị ngắt để lại.", err=True)
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
            f"Đã đánh chỉ mục {number(report.added)} bài mới, thay {number(report.replaced)} bài trong "
            f"{seconds(report.seconds)} vào {index_dir}; chỉ mục có {number(report.total)} bài."
        )
        if report.skipped:
            click.echo(f"Đã bỏ qua {number(len(report.skipped))} bản ghi (xem ở trên).", err=True)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _report_skip(record) -> None:
    """A skipped record on its own line: on a terminal, the progress line drawn there is
    cleared first (it is drawn again at the next count), so the two never run together."""
    clear = "\r\x1b[K" if sys.stderr.isatty() else ""
    click.echo(f"{clear}Bỏ qua {skipped_line(record.origin, record.reason)}", err=True)


def _filters(**by_facet) -> dict:
    return {name: list(values) for name, values in by_facet.items() if values}


@main.command("search")
@click.argument("query", required=False, default="", metavar="[CÂU_TÌM]")
@index_option
@option("--province", multiple=True, metavar="TỈNH",
        help="Tỉnh, thành trước 2025, ví dụ 'Long An' (lặp lại được; khớp một trong các giá trị).")
@option("--province-new", "province_new", multiple=True, metavar="TỈNH", help="Tỉnh, thành sau 2025 (lặp lại được).")
@option("--term", multiple=True, metavar="KHÓA", help="Khóa của Đảng, ví dụ XII hoặc 12 (lặp lại được).")
@option("--resolution", multiple=True, metavar="VĂN_BẢN",
        help="Nghị quyết, văn bản, ví dụ 'Chỉ thị 05-CT/TW' (lặp lại được).")
@option("--year", multiple=True, metavar="NĂM", help="Năm đăng bài (lặp lại được).")
@option("--source", multiple=True, metavar="TRANG", help="Trang nguồn, ví dụ dantri.com.vn (lặp lại được).")
@option("--from", "date_from", metavar="YYYY-MM-DD", help="Chỉ bài đăng từ ngày này trở đi.")
@option("--to", "date_to", metavar="YYYY-MM-DD", help="Chỉ bài đăng đến hết ngày này.")
@option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
        help="Xếp theo relevance (liên quan nhất) hoặc date (mới nhất).")
@option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, metavar="SỐ",
        help="Số kết quả mỗi trang.")
@option("--page", type=click.IntRange(1, 1000), default=1, show_default=True, metavar="SỐ", help="Trang kết quả.")
@option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="TỆP",
        help="Tệp .jsonl các câu tìm ({\"id\", \"text\"}): in một dòng JSON kết quả cho mỗi câu.")
@option("--json", "as_json", is_flag=True, help="In kết quả thành một đối tượng JSON (như /api/search).")
def search_command(query, index_dir, province, province_new, term, resolution, year, source, date_from, date_to,
                   sort, limit, page, batch, as_json):
    """Tìm CÂU_TÌM trong chỉ mục.

    CÂU_TÌM có thể chứa "cụm từ chính xác", -từ loại trừ và OR; gõ có dấu hay không dấu đều
    được. Để trống CÂU_TÌM và chọn bộ lọc thì liệt kê các bài đã lọc (mới nhất trước).
    """
    engine = _engine(index_dir)
    filters = _filters(province=province, province_new=province_new, term=term, resolution=resolution,
                       year=year, source=source)
    if batch:
        _run_batch(engine, batch, limit, filters)
        return
    if not query.strip() and not filters and not (date_from or date_to):
        raise UsageError("Hãy gõ CÂU_TÌM, hoặc chọn bộ lọc như --province 'Long An' để xem danh sách bài.",
                         click.get_current_context())
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
                click.echo(f"Bỏ qua {path}:{lineno}: không phải đối tượng câu tìm có 'id' và 'text'.", err=True)
                bad += 1
                continue
            if not text.strip():
                click.echo(_dumps({"id": qid, "hits": []}))
                continue
            try:
                result = engine.search(text, filters, size=limit, facets=False, snippets=False, suggest=False)
                hits = [{"id": h["id"], "score": h["score"]} for h in result["hits"]]
            except QueryError as exc:
                click.echo(f"Lưu ý: {path}:{lineno}: {vietnamese(str(exc))}", err=True)
                hits = []
            click.echo(_dumps({"id": qid, "hits": hits}))
    if bad:
        sys.exit(EXIT_SKIPPED)


@main.command("extract")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="NGUỒN...")
@option("--json", "as_json", is_flag=True, help="Mỗi bài một dòng JSON (cách in mặc định).")
@option("--body", is_flag=True, help="In cả thân bài đã làm sạch.")
def extract_command(sources, as_json, body):
    """In những gì trích được từ mỗi bài của NGUỒN, không đánh chỉ mục.

    Mỗi bài một dòng JSON: id, title, date, source, provinces, provinces_new, terms,
    resolutions. Bản ghi hỏng được báo ở stderr (mã thoát 2).
    """
    from index.extract import extract_article

    bad = 0
    for item in iter_sources(sources):
        if isinstance(item, BadRecord):
            click.echo(f"Bỏ qua {skipped_line(item.origin, item.reason)}", err=True)
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
@option("--json", "as_json", is_flag=True, help="In dạng JSON.")
def stats_command(index_dir, as_json):
    """Cho biết số bài, dung lượng và số giá trị bộ lọc của chỉ mục."""
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
@option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ", help="Địa chỉ lắng nghe.")
@option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, metavar="CỔNG", help="Cổng lắng nghe.")
@option("--threads", type=click.IntRange(1, 64), default=4, show_default=True, metavar="SỐ",
        help="Số luồng xử lý yêu cầu.")
@option("--connection-limit", type=click.IntRange(1, 100_000), default=None, show_default="1000", metavar="SỐ",
        help="Số kết nối mở tối đa.")
@option("--channel-timeout", type=click.IntRange(1, 3600), default=None, show_default="15", metavar="GIÂY",
        help="Số giây trước khi đóng một kết nối im lặng.")
@option("--trusted-proxy", default=None, metavar="ĐỊA_CHỈ",
        help="Địa chỉ của proxy ngược (reverse proxy) có tiêu đề X-Forwarded-* được tin.")
def serve_command(index_dir, host, port, threads, connection_limit, channel_timeout, trusted_proxy):
    """Phục vụ trang tìm kiếm và API JSON bằng máy chủ WSGI waitress."""
    # The one reference from search to web: the command line is the program's front door.
    from web.app import create_app
    from web.server import make_server
    from web.serving import close_engine, engine_of

    def port_refused(exc: OSError) -> CliError:
        return CliError(f"cổng {port} trên {host} không dùng được ({_socket_reason(exc)}); "
                        f"hãy chọn cổng khác, ví dụ `vnsearch serve --port {port + 1 if port < 65535 else 8000}`",
                        english=False)

    try:
        # A busy port is told at once, before the index is loaded (seconds on a big index).
        _try_bind(host, port)
    except OSError as exc:
        raise port_refused(exc) from None
    index_dir = index_dir or default_index_dir()
    click.echo(f"vnsearch: đang nạp chỉ mục {index_dir}…", err=True)
    started = time.monotonic()
    app = create_app({"INDEX_DIR": str(index_dir)})
    try:
        engine = engine_of(app)
    except (IndexNotFoundError, IndexVersionError) as exc:
        raise CliError(str(exc)) from None
    limits = {k: v for k, v in (("connection_limit", connection_limit), ("channel_timeout", channel_timeout)) if v}
    try:
        # Bind, then announce: a port taken meanwhile is one line, not "serving" and a traceback.
        # Our own trial bind first, because waitress leaks its half-made server when it fails.
        _try_bind(host, port)
        server = make_server(app, host, port, threads, trusted_proxy, **limits)
    except OSError as exc:
        raise port_refused(exc) from None
    click.echo(f"vnsearch: đã nạp trong {seconds(time.monotonic() - started)}.", err=True)
    click.echo(f"vnsearch: đang phục vụ {engine.index_dir} tại http://{host}:{server.effective_port}/  (Ctrl+C để dừng)")
    try:
        server.run()  # returns on Ctrl+C: waitress catches the KeyboardInterrupt itself
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        close_engine(app)
    click.echo("vnsearch: đã dừng.")


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
