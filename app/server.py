"""The local HTTP server: waitress (threaded, production-grade, pure Python) on 127.0.0.1."""

from __future__ import annotations

import logging
import threading

from flask import Flask, Response
from waitress import wasyncore  # type: ignore[import-untyped]  # waitress ships no type hints
from waitress.server import create_server  # type: ignore[import-untyped]

from app import gcpause

log = logging.getLogger(__name__)
HOST = "127.0.0.1"  # never 0.0.0.0: the app's data must not be reachable from the network


def _resume_gc_after_sending(response: Response) -> Response:
    """The first page is the end of the start: collect garbage again once it is sent (app.gcpause).

    The launch's redirect (?token= to the page) is part of the start."""
    if gcpause.paused() and not 300 <= response.status_code < 400:
        response.call_on_close(gcpause.resume)
    return response


class LocalServer:
    def __init__(self, app: Flask, port: int = 0):
        # Port 0: the OS picks a free port, so two users or two data dirs never clash.
        # Waitress reads a whole request body (to a temporary file) before the app sees it:
        # without its own limit a 900 MB POST would fill the disk before Flask refused it.
        # The app's limit, announced in Content-Length, is now refused (413) before any body is
        # read. +1: waitress refuses at its limit, Flask only above.
        body_limit = app.config["MAX_CONTENT_LENGTH"] + 1
        self._server = create_server(
            app,
            host=HOST,
            port=port,
            threads=8,
            ident="Koordi",
            expose_tracebacks=False,
            max_request_body_size=body_limit,
        )
        self.port: int = self._server.effective_port
        self.app = app
        app.config["SERVER_PORT"] = self.port
        # Cookies are not port-specific: two Koordis on one laptop must not share one.
        app.config["SESSION_COOKIE_NAME"] = f"koordi_session_{self.port}"
        if gcpause.paused():
            # Not app.after_request: that refuses an app that has served a request already.
            app.after_request_funcs.setdefault(None, []).append(_resume_gc_after_sending)
        self._thread: threading.Thread | None = None
        self._closed = False
        self._close_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def launch_url(self) -> str:
        return f"{self.base_url}?token={self.app.config['ACCESS_TOKEN']}"

    def serve_forever(self) -> None:
        log.info("serving on %s", self.base_url)
        try:
            self._server.run()
        except (OSError, ValueError):
            # close() from another thread makes the loop's select fail: that is a normal stop.
            pass

    def start_in_thread(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="koordi-server", daemon=True)
        self._thread.start()

    def request_stop(self, delay: float = 1.0) -> None:
        """Stop serving in `delay` seconds, from another thread: the "Close Koordi" button.

        The delay lets the browser fetch the goodbye page's stylesheet first; the stop
        itself then ends serve_forever(), and its caller closes the store and the lock.
        """
        timer = threading.Timer(delay, self.close)
        timer.daemon = True
        timer.start()

    def close(self) -> None:
        """Stop serving. Safe to call twice (a requested stop, then the caller's finally)."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        self._server.close()
        # The window's keep-alive connections keep waitress's loop running: close them too,
        # or every quit waits for the join timeout.
        wasyncore.close_all(self._server._map)
        self._server.task_dispatcher.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)


def shut_down(app: Flask | None, server: LocalServer | None) -> None:
    """Stop serving, then close the app's databases (Windows cannot replace an open file): every
    host's way out, `koordi serve`, the window and the browser fallback alike."""
    if server is not None:
        server.close()
    if app is None:
        return
    store = app.extensions.get("koordi.store")
    if store is not None:
        store.dispose()
    closing = app.extensions.get("koordi.on_close")  # the central office's app: its engines
    if closing is not None:
        closing()
