import http.server
import threading
from dataclasses import dataclass, field

import pytest


@dataclass
class Receiver:
    """A real HTTP server on loopback that records what it receives and answers `status`."""

    url: str
    requests: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers in turn; 200 once exhausted


@pytest.fixture
def receiver():
    state: dict = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            rec: Receiver = state["receiver"]
            rec.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = rec.statuses.pop(0) if rec.statuses else 200
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook/T000/B000/s3cr3tpath")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["receiver"]
    server.shutdown()
    server.server_close()
