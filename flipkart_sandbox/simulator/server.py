"""Serve a Sandbox over real HTTP on a thread: for tests, the demo, benchmarks."""

import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer


class _QuietHandler(WSGIRequestHandler):
    """No per-request access lines on stderr."""

    def log_message(self, format, *args):
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name (getfqdn), which can
        # stall for seconds without DNS; the bound address is all we need.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port
        self.setup_environ()

    def handle_error(self, request, client_address):
        # A client hanging up mid-answer is normal under retries and timeouts.
        pass


class SandboxServer:
    """A threaded HTTP server for ``sandbox`` on ``host:port`` (0 = any free port).

    Use as a context manager (serves on a daemon thread), or call
    :meth:`serve_forever` to serve in the foreground.
    """

    def __init__(self, sandbox, host="127.0.0.1", port=0):
        self.sandbox = sandbox
        self._httpd = _ThreadingWSGIServer((host, port), _QuietHandler)
        self._httpd.set_app(sandbox.wsgi_app)
        self._thread = None

    @property
    def host(self):
        return self._httpd.server_address[0]

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def base_url(self):
        """The host root; clients append /oauth-service/... and /sellers/..."""
        return f"http://{self.host}:{self.port}"

    def start(self):
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"flipkart-sandbox:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self):
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self):
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
