"""``thesis preview``: the HTML brief on localhost, rendered again on every save, the browser reloaded.

The server keeps one warm process: each change to the company's inputs or
source texts, the project's templates or ``thesis.yaml`` re-runs the pipeline
up to the HTML (tens of milliseconds for Alibaba) and tells every open page
through server-sent events, which reloads itself. Bad input never stops the
server: the page shows the located problems instead of the brief, and the next
good save brings the brief back. The PDF is rendered only when asked for.

It serves four paths and nothing else: ``/`` (the brief, or the problems),
``/events`` (the reload stream), ``/brief.pdf`` and ``/favicon.ico`` (empty);
and, where the brief's bibliography links a PDF or text as received
(``inputs/COMPANY/sources/originals/…``, which a link from the brief's build
folder reaches from ``/``), that one file. A saved web page is not served:
its scripts would run as the preview's own.
Bound to 127.0.0.1 it also refuses requests whose ``Host`` is not a loopback
name, so a web page elsewhere cannot read the brief through DNS rebinding.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from thesis.errors import ThesisError, UsageError
from thesis.project import Project

# Documents as received the preview serves when the brief links them: they run nothing when opened.
_ORIGINAL_TYPES = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8"}

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
KEEPALIVE_SECONDS = 10.0
# Injected before </body> of the preview page only; the brief written by `render` stays script-free.
_RELOADER = """
<div id="thesis-preview" style="position:fixed;right:12px;bottom:12px;z-index:1000;font:12px/1.4 sans-serif;
background:#1f2933;color:#fff;padding:6px 10px;border-radius:4px;opacity:.9" role="status">
preview · {status} · <a href="/brief.pdf" style="color:#9fd3ff" target="_blank" rel="noopener">PDF</a></div>
<style media="print">#thesis-preview{{display:none}}</style>
<script>
(function () {{
  var shown = {version};
  var events = new EventSource("/events");
  events.onmessage = function (event) {{ if (Number(event.data) !== shown) {{ location.reload(); }} }};
}})();
</script>
"""
_PROBLEMS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font:15px/1.5 sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2933}}
h1{{font-size:1.3rem;color:#b42318}}pre{{white-space:pre-wrap;background:#fff4f2;border-left:4px solid #b42318;
padding:1rem;font-size:13px}}</style></head>
<body><h1>{heading}</h1><p>The brief comes back with the next save that fixes this.</p><pre>{message}</pre>
</body></html>
"""


@dataclass(frozen=True)
class Page:
    """What ``/`` shows now: the brief or the problems, numbered so that pages know when they are stale."""

    version: int
    html: bytes
    ok: bool
    seconds: float


class Preview:
    """The warm pipeline: renders the brief's HTML on demand and remembers the newest page."""

    def __init__(
        self,
        project: Project,
        company: str,
        as_of: dt.date | None = None,
        weights: Path | None = None,
    ) -> None:
        project.company_dir(company)  # an unknown company is a usage error before anything is served
        self.project = project
        self.company = company
        self.as_of = as_of
        self.weights = weights
        self._changed = threading.Condition()
        self._page: Page | None = None
        self._prepared: object | None = None
        self._pdf: tuple[int, bytes] | None = None
        self._pdf_lock = threading.Lock()
        self.stopping = False

    @property
    def page(self) -> Page:
        with self._changed:
            if self._page is None:
                raise RuntimeError("rebuild() first")
            return self._page

    def rebuild(self) -> Page:
        """Render the HTML again; on any failure, a page with the message instead. Never raises."""
        from thesis.commands.render import prepare
        from thesis.render.brief import render_html

        started = time.perf_counter()
        prepared = None
        as_of = self.as_of or dt.date.today()
        self.project = replace(self.project)  # a fresh Project reads thesis.yaml again: it may be what changed
        try:
            prepared = prepare(self.project, self.company, as_of, weights=self.weights)
            body = render_html(self.project, prepared.brief)
            ok = True
            status = f"as of {as_of.isoformat()}"
        except ThesisError as exc:
            body = _problems_page(f"{self.company}: the inputs have problems", exc.format())
            ok = False
            status = "inputs have problems"
        except Exception as exc:  # a template of the project's own, say: show it, keep serving
            body = _problems_page(f"{self.company}: the brief could not be rendered", f"{type(exc).__name__}: {exc}")
            ok = False
            status = "render failed"
        seconds = time.perf_counter() - started
        with self._changed:
            version = (self._page.version + 1) if self._page else 1
            page = Page(version, _with_reloader(body, version, status), ok, seconds)
            self._page = page
            if prepared is not None:
                self._prepared = prepared
            self._changed.notify_all()
        return page

    def wait(self, seen: int, timeout: float) -> int | None:
        """Block until the page is newer than ``seen`` (its version) or ``timeout`` passes (None)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.stopping or (self._page is not None and self._page.version != seen), timeout
            )
            if self.stopping or self._page is None or self._page.version == seen:
                return None
            return self._page.version

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def pdf(self) -> bytes | None:
        """The PDF of the newest good brief, rendered once per version; None while the inputs have problems."""
        from thesis.commands.render import Prepared
        from thesis.outputs.snapshot import dumps, snapshot
        from thesis.render.brief import render_html, render_pdf_bytes

        with self._changed:
            page, prepared = self._page, self._prepared
        if page is None or not page.ok or not isinstance(prepared, Prepared):
            return None
        with self._pdf_lock:
            if self._pdf is not None and self._pdf[0] == page.version:
                return self._pdf[1]
            brief = prepared.brief
            html_text = render_html(self.project, brief)
            data = render_pdf_bytes(self.project, brief, html_text, dumps(snapshot(brief)).encode(), prepared.loaded)
            self._pdf = (page.version, data)
            return data

    def original(self, path: str) -> tuple[bytes, str] | None:
        """A PDF or text the newest brief cites as received, asked for at ``/inputs/COMPANY/ORIGINAL``; else None."""
        from urllib.parse import unquote

        from thesis.commands.render import Prepared
        from thesis.inputs.documents import MAX_DOCUMENT_BYTES
        from thesis.inputs.reading import ReadFailure, read_bounded

        with self._changed:
            prepared = self._prepared
        if not isinstance(prepared, Prepared):
            return None
        for entry in prepared.brief.bibliography:
            original = entry.source.original
            if not original or unquote(path) != f"/inputs/{self.company}/{original}":
                continue
            media = _ORIGINAL_TYPES.get(Path(original).suffix.lower())
            if media is None:
                return None
            try:
                return read_bounded(self.project.company_dir(self.company) / original, MAX_DOCUMENT_BYTES), media
            except ReadFailure:
                return None
        return None

    def watched(self) -> tuple[list[Path], list[Path]]:
        """(folders watched with their subfolders, folders watched for their own files only)."""
        deep = [self.project.company_dir(self.company)]
        local_templates = self.project.root / "templates"
        if local_templates.is_dir():
            deep.append(local_templates)
        shallow = [self.project.root]  # thesis.yaml, without walking build/ or anything else at the root
        if self.weights is not None:
            shallow.append(self.weights.resolve().parent)
        return deep, shallow

    def is_relevant(self, path: Path) -> bool:
        """Whether a change at ``path`` can change the brief."""
        deep, _ = self.watched()
        resolved = path.resolve() if path.exists() else path
        if any(_inside(resolved, folder) for folder in deep):
            return True
        names = {"thesis.yaml"} | ({self.weights.name} if self.weights is not None else set())
        return path.name in names


def _inside(path: Path, folder: Path) -> bool:
    return path.is_relative_to(folder) or path.is_relative_to(folder.resolve())


def _problems_page(heading: str, message: str) -> str:
    return _PROBLEMS_PAGE.format(title=html.escape(heading), heading=html.escape(heading), message=html.escape(message))


def _with_reloader(document: str, version: int, status: str) -> bytes:
    script = _RELOADER.format(version=version, status=html.escape(status))
    at = document.rfind("</body>")
    if at < 0:
        return (document + script).encode()
    return (document[:at] + script + document[at:]).encode()


def watch(preview: Preview, stop: threading.Event, on_change: Callable[[list[Path]], None]) -> list[threading.Thread]:
    """Start the watchers: one over the deep folders, one over the shallow ones; each calls ``on_change``."""
    from watchfiles import watch as watch_changes

    deep, shallow = preview.watched()

    def run(paths: list[Path], recursive: bool) -> None:
        changes = watch_changes(
            *paths, recursive=recursive, stop_event=stop, step=30, rust_timeout=500, yield_on_timeout=False
        )
        for batch in changes:
            relevant = [Path(p) for _, p in batch if preview.is_relevant(Path(p))]
            if relevant:
                on_change(relevant)

    threads = [
        threading.Thread(target=run, args=(deep, True), name="watch-inputs", daemon=True),
        threading.Thread(target=run, args=(shallow, False), name="watch-project", daemon=True),
    ]
    for thread in threads:
        thread.start()
    return threads


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would drown the rebuild lines

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._route(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._route(head=False)

    def _route(self, head: bool) -> None:
        if not self.server.host_allowed(self.headers.get("Host", "")):
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain; charset=utf-8", head)
            return
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        preview = self.server.preview
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, preview.page.html, "text/html; charset=utf-8", head)
        elif path == "/events" and not head:
            self._events()
        elif path == "/brief.pdf":
            data = preview.pdf()
            if data is None:
                message = b"The inputs have problems; fix them and the PDF renders again.\n"
                self._send(HTTPStatus.CONFLICT, message, "text/plain; charset=utf-8", head)
            else:
                self._send(HTTPStatus.OK, data, "application/pdf", head)
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", head)
        elif (original := preview.original(path)) is not None:
            self._send(HTTPStatus.OK, original[0], original[1], head)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", head)

    def _send(self, status: HTTPStatus, body: bytes, media_type: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview = self.server.preview
        seen = preview.page.version
        try:
            self.wfile.write(f"retry: 500\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not preview.stopping:
                version = preview.wait(seen, KEEPALIVE_SECONDS)
                if version is None:
                    self.wfile.write(b": keep-alive\n\n")  # finds closed connections
                else:
                    seen = version
                    self.wfile.write(f"data: {version}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # a browser closed its connection: nothing to report
        print(f"preview: a request failed: {type(error).__name__}: {error}", file=sys.stderr)

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        self.preview = preview
        self.host = host
        try:
            super().__init__((host, port), _Handler)
        except OSError as exc:
            raise UsageError(
                f"cannot serve on {host}:{port}: {exc.strerror or exc}",
                "choose another port with --port (0 picks a free one)",
            ) from None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/"

    def host_allowed(self, header: str) -> bool:
        if self.host not in LOOPBACK_NAMES:
            return True  # the analyst chose to serve beyond this machine
        name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
        return name in LOOPBACK_NAMES


def serve(
    preview: Preview,
    host: str,
    port: int,
    on_ready: Callable[[str], None],
    on_rebuild: Callable[[Page, list[Path]], None],
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); stop the watchers and close every stream on the way out."""
    import signal

    first = preview.rebuild()
    server = PreviewServer(preview, host, port)
    stop = threading.Event()

    def changed(paths: list[Path]) -> None:
        on_rebuild(preview.rebuild(), paths)

    watch(preview, stop, changed)

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, terminate) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        on_ready(server.url)
        on_rebuild(first, [])
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.stop()
        server.server_close()
        for number, handler in previous.items():
            signal.signal(number, handler)
