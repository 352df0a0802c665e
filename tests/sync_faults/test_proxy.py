"""The fault proxy itself, against a tiny HTTP server that records what reached it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from sync_faults.proxy import FaultKind, FaultProxy


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[str, str, bytes]] = []
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _Recorder
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, body: bytes, chunked: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 1000):
                part = body[start : start + 1000]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.received.append(("GET", self.path, b""))
        if self.path.startswith("/big"):
            self._answer(b"x" * 50_000, chunked=self.path.endswith("chunked"))
        else:
            self._answer(b"hello " + self.path.encode())

    def do_HEAD(self) -> None:
        with self.server.lock:
            self.server.received.append(("HEAD", self.path, b""))
        self._answer(b"123456")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        try:
            body = self.rfile.read(length)
        except OSError:
            return
        if len(body) < length:
            with self.server.lock:
                self.server.received.append(("SHORT", self.path, body))
            return
        with self.server.lock:
            self.server.received.append(("POST", self.path, body))
        self._answer(b"got " + body)


@pytest.fixture
def upstream() -> Iterator[_Recorder]:
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def proxy(upstream: _Recorder) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.server_address[1]) as running:
        yield running


def _posts(upstream: _Recorder) -> list[bytes]:
    return [body for method, _, body in upstream.received if method == "POST"]


def test_forwards_requests_and_answers(proxy: FaultProxy, upstream: _Recorder) -> None:
    with requests.Session() as session:
        assert session.get(f"{proxy.url}/a").content == b"hello /a"
        assert session.post(f"{proxy.url}/p", data=b"body").content == b"got body"
        assert session.head(f"{proxy.url}/h").headers["Content-Length"] == "6"
        big = session.get(f"{proxy.url}/big-chunked")
        assert big.content == b"x" * 50_000
    assert _posts(upstream) == [b"body"]
    assert proxy.actions() == ["forward"] * 4


def test_drop_request_never_reaches_the_server(proxy: FaultProxy, upstream: _Recorder) -> None:
    proxy.fault(FaultKind.DROP_REQUEST, method="POST", path="/push")
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/push", data=b"one", timeout=10)
    assert _posts(upstream) == []
    assert requests.post(f"{proxy.url}/push", data=b"two", timeout=10).content == b"got two"
    assert _posts(upstream) == [b"two"]


def test_drop_response_after_the_server_handled_it(proxy: FaultProxy, upstream: _Recorder) -> None:
    proxy.fault(FaultKind.DROP_RESPONSE, path="/push")
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/push", data=b"one", timeout=10)
    assert _posts(upstream) == [b"one"]


def test_cut_request_mid_body(proxy: FaultProxy, upstream: _Recorder) -> None:
    proxy.fault(FaultKind.CUT_REQUEST, path="/push", after_bytes=-10)
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/push", data=b"0123456789" * 10, timeout=10)
    deadline = time.monotonic() + 5
    while not upstream.received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _posts(upstream) == []
    assert [m for m, _, _ in upstream.received] == ["SHORT"]


def test_cut_response_mid_body(proxy: FaultProxy) -> None:
    proxy.fault(FaultKind.CUT_RESPONSE, path="/big", after_bytes=3000)
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.get(f"{proxy.url}/big", timeout=10).raise_for_status()
    assert len(requests.get(f"{proxy.url}/big", timeout=10).content) == 50_000


def test_delay(proxy: FaultProxy) -> None:
    proxy.fault(FaultKind.DELAY, path="/slow", seconds=0.3)
    start = time.monotonic()
    assert requests.get(f"{proxy.url}/slow", timeout=10).ok
    assert time.monotonic() - start >= 0.3


def test_duplicate_reaches_the_server_twice(proxy: FaultProxy, upstream: _Recorder) -> None:
    proxy.fault(FaultKind.DUPLICATE, path="/push")
    assert requests.post(f"{proxy.url}/push", data=b"once", timeout=10).content == b"got once"
    assert _posts(upstream) == [b"once", b"once"]


def test_reorder_holds_one_until_the_next_went_through(
    proxy: FaultProxy, upstream: _Recorder
) -> None:
    proxy.fault(FaultKind.REORDER, path="/push", seconds=10)
    answers: dict[str, bytes] = {}

    def send(body: bytes) -> None:
        answers[body.decode()] = requests.post(f"{proxy.url}/push", data=body, timeout=20).content

    first = threading.Thread(target=send, args=(b"first",))
    first.start()
    time.sleep(0.3)
    send(b"second")
    first.join(timeout=20)
    assert _posts(upstream) == [b"second", b"first"]
    assert answers == {"first": b"got first", "second": b"got second"}


def test_reorder_times_out_into_a_delay(proxy: FaultProxy, upstream: _Recorder) -> None:
    proxy.fault(FaultKind.REORDER, path="/push", seconds=0.2)
    assert requests.post(f"{proxy.url}/push", data=b"alone", timeout=10).content == b"got alone"
    assert _posts(upstream) == [b"alone"]


def test_replay_later_sends_a_stale_copy_after_the_next(
    proxy: FaultProxy, upstream: _Recorder
) -> None:
    proxy.fault(FaultKind.REPLAY_LATER, path="/push")
    requests.post(f"{proxy.url}/push", data=b"old", timeout=10)
    requests.post(f"{proxy.url}/push", data=b"new", timeout=10)
    assert _posts(upstream) == [b"old", b"new", b"old"]
    assert "replayed_late" in proxy.actions()


def test_skip_and_times_pick_which_requests_fail(proxy: FaultProxy, upstream: _Recorder) -> None:
    proxy.fault(FaultKind.DROP_REQUEST, path="/push", skip=1, times=2)
    outcomes = []
    for number in range(4):
        try:
            requests.post(f"{proxy.url}/push", data=str(number).encode(), timeout=10)
            outcomes.append("ok")
        except requests.ConnectionError:
            outcomes.append("dropped")
    assert outcomes == ["ok", "dropped", "dropped", "ok"]
    assert _posts(upstream) == [b"0", b"3"]
