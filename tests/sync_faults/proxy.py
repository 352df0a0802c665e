"""A threaded HTTP-aware TCP proxy that sits between a sync client and the server and breaks things.

Each request the client sends is read whole (headers and body), then forwarded to the server on
a fresh connection; the answer is read whole and handed back, and the client connection is
closed after it (``Connection: close`` both ways, so every request is one connection and a fault
hits exactly one call). Faults are queued rules matched by method and path:

- ``drop_request``: the server never sees the request; the client's connection is cut.
- ``drop_response``: the server handles (and commits) the request; the client's connection is
  cut before any byte of the answer.
- ``cut_request``: only the first ``after_bytes`` bytes of the raw request reach the server.
- ``cut_response``: only the first ``after_bytes`` bytes of the raw answer reach the client.
- ``delay``: wait ``seconds`` before forwarding.
- ``duplicate``: the request reaches the server twice (the client gets the first answer).
- ``reorder``: the request is held until the next matching request has been forwarded and
  answered (or ``seconds`` passed), then forwarded; the held request's answer still goes back to
  its own client.
- ``replay_later``: the request is forwarded and answered normally; a copy is sent again right
  after the next matching request (a stale, late duplicate reaching the server out of order).

Every request is logged (method, path, action taken, answer status) for assertions.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

RECV = 65536


class FaultKind(StrEnum):
    DROP_REQUEST = "drop_request"
    DROP_RESPONSE = "drop_response"
    CUT_REQUEST = "cut_request"
    CUT_RESPONSE = "cut_response"
    DELAY = "delay"
    DUPLICATE = "duplicate"
    REORDER = "reorder"
    REPLAY_LATER = "replay_later"


@dataclass
class Fault:
    """A rule: ``kind`` for matching requests; lets ``skip`` pass first, then fires ``times``.

    ``after_bytes`` may be negative: that many bytes short of the end."""

    kind: FaultKind
    method: str | None = None
    path: str | None = None  # a regular expression searched in the request path
    skip: int = 0
    times: int = 1
    after_bytes: int = 0
    seconds: float = 0.0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.path is None or re.search(self.path, path) is not None

    @property
    def spent(self) -> bool:
        return self.fired >= self.times


@dataclass(frozen=True)
class LogEntry:
    method: str
    path: str
    action: str
    status: int | None


@dataclass
class _Request:
    method: str
    path: str
    raw: bytes


@dataclass
class _Held:
    request: _Request
    released: threading.Event = field(default_factory=threading.Event)


class ProxyError(Exception):
    pass


class FaultProxy:
    """``FaultProxy(upstream_port).start()``; point the client at ``proxy.url``."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._held: list[_Held] = []
        self._late: list[tuple[Fault, _Request]] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self.log: list[LogEntry] = []
        self.on_forward: Callable[[str, str], None] | None = None
        """Called with (method, path) just before a request goes to the server (a test uses it
        to kill the server while that request is being handled)."""
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            for held in self._held:
                held.released.set()
        self._acceptor.join(timeout=5)
        with contextlib.suppress(OSError):
            self._listener.close()
        for thread in list(self._threads):
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- rules -----------------------------------------------------------------------------

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def fault(
        self,
        kind: FaultKind | str,
        *,
        method: str | None = None,
        path: str | None = None,
        skip: int = 0,
        times: int = 1,
        after_bytes: int = 0,
        seconds: float = 0.0,
    ) -> Fault:
        return self.add(Fault(FaultKind(kind), method, path, skip, times, after_bytes, seconds))

    def clear(self) -> None:
        """Heal: no more faults; held requests are let through."""
        with self._lock:
            self._faults.clear()
            for held in self._held:
                held.released.set()

    def actions(self, path: str | None = None) -> list[str]:
        with self._lock:
            return [e.action for e in self.log if path is None or re.search(path, e.path)]

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.spent or not fault.matches(method, path):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.fired += 1
                return fault
            return None

    def _record(self, request: _Request, action: str, status: int | None) -> None:
        with self._lock:
            self.log.append(LogEntry(request.method, request.path, action, status))

    # -- plumbing --------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        self._listener.settimeout(0.1)
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            with self._lock:
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        try:
            client.settimeout(60)
            request = _read_request(client)
            if request is None:
                return
            self._handle(client, request)
        except (OSError, ProxyError):
            pass
        finally:
            with contextlib.suppress(OSError):
                client.close()

    def _handle(self, client: socket.socket, request: _Request) -> None:
        fault = self._take_fault(request.method, request.path)
        kind = None if fault is None else fault.kind
        if fault is not None and kind == FaultKind.DELAY:
            time.sleep(fault.seconds)
        if kind == FaultKind.DROP_REQUEST:
            self._record(request, "drop_request", None)
            _abort(client)
            return
        if fault is not None and kind == FaultKind.CUT_REQUEST:
            self._cut_request(client, request, fault.after_bytes)
            return
        released: list[_Held] = []
        if fault is not None and kind == FaultKind.REORDER:
            self._wait_for_next(request, fault.seconds or 5.0)
        else:
            released = self._take_held(request.path)
        response = self._forward(request)
        status = _status_of(response)
        for held in released:  # the held ones reach the server only after this one
            held.released.set()
        self._replay_late(request)
        if kind == FaultKind.DUPLICATE:
            second = self._forward(request)
            self._record(request, "duplicate", _status_of(second))
        if kind == FaultKind.REPLAY_LATER:
            assert fault is not None
            with self._lock:
                self._late.append((fault, request))
        if kind == FaultKind.DROP_RESPONSE:
            self._record(request, "drop_response", status)
            _abort(client)
            return
        if fault is not None and kind == FaultKind.CUT_RESPONSE:
            self._record(request, "cut_response", status)
            client.sendall(response[: fault.after_bytes])
            _abort(client)
            return
        self._record(request, "forward" if kind is None else str(kind), status)
        client.sendall(response)

    def _cut_request(self, client: socket.socket, request: _Request, after: int) -> None:
        with socket.create_connection(self.upstream, timeout=60) as upstream:
            upstream.sendall(request.raw[:after])
            upstream.shutdown(socket.SHUT_WR)
            # Let the server notice the short body (it answers 400 or just closes).
            with contextlib.suppress(OSError):
                _read_all(upstream, limit_seconds=5)
        self._record(request, "cut_request", None)
        _abort(client)

    def _wait_for_next(self, request: _Request, seconds: float) -> None:
        held = _Held(request)
        with self._lock:
            self._held.append(held)
        held.released.wait(timeout=seconds)
        with self._lock:
            if held in self._held:
                self._held.remove(held)
        self._record(request, "released", None)

    def _take_held(self, path: str) -> list[_Held]:
        with self._lock:
            waiting = [h for h in self._held if h.request.path.split("?")[0] == path.split("?")[0]]
            for held in waiting:
                self._held.remove(held)
        return waiting

    def _replay_late(self, request: _Request) -> None:
        with self._lock:
            late = [
                (f, r)
                for f, r in self._late
                if r is not request and f.matches(request.method, request.path)
            ]
            for item in late:
                self._late.remove(item)
        for _fault, old in late:
            answer = self._forward(old)
            self._record(old, "replayed_late", _status_of(answer))

    def _forward(self, request: _Request) -> bytes:
        with socket.create_connection(self.upstream, timeout=120) as upstream:
            if self.on_forward is not None:
                self.on_forward(request.method, request.path)
            upstream.sendall(request.raw)
            return _read_response(upstream, head=request.method == "HEAD")


# -- HTTP framing ---------------------------------------------------------------------------


def _abort(sock: socket.socket) -> None:
    """Close with RST so the peer sees a reset, not a clean end of stream."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    with contextlib.suppress(OSError):
        sock.close()


class _Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def fill(self) -> bool:
        chunk = self.sock.recv(RECV)
        if not chunk:
            return False
        self.buffer += chunk
        return True

    def until(self, marker: bytes) -> bytes | None:
        while marker not in self.buffer:
            if not self.fill():
                return None
        index = self.buffer.index(marker) + len(marker)
        head, self.buffer = self.buffer[:index], self.buffer[index:]
        return head

    def exactly(self, count: int) -> bytes:
        while len(self.buffer) < count:
            if not self.fill():
                raise ProxyError("connection closed inside a body")
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def rest(self) -> bytes:
        while self.fill():
            pass
        data, self.buffer = self.buffer, b""
        return data


def _parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    return lines[0], headers


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name.lower():
            return value
    return None


def _rebuild(start: str, headers: list[tuple[str, str]]) -> bytes:
    kept = [(k, v) for k, v in headers if k.lower() not in ("connection", "keep-alive")]
    kept.append(("Connection", "close"))
    lines = [start, *(f"{k}: {v}" for k, v in kept)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _read_body(reader: _Reader, headers: list[tuple[str, str]], until_close: bool) -> bytes:
    if (_header(headers, "Transfer-Encoding") or "").lower() == "chunked":
        body = b""
        while True:
            size_line = reader.until(b"\r\n")
            if size_line is None:
                raise ProxyError("connection closed inside a chunked body")
            body += size_line
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:
                    trailer = reader.until(b"\r\n")
                    if trailer is None:
                        raise ProxyError("connection closed in trailers")
                    body += trailer
                    if trailer == b"\r\n":
                        return body
            body += reader.exactly(size + 2)
    length = _header(headers, "Content-Length")
    if length is not None:
        return reader.exactly(int(length))
    return reader.rest() if until_close else b""


def _read_request(sock: socket.socket) -> _Request | None:
    reader = _Reader(sock)
    head = reader.until(b"\r\n\r\n")
    if head is None:
        return None
    start, headers = _parse_head(head)
    parts = start.split(" ")
    if len(parts) < 2:
        raise ProxyError(f"not an HTTP request: {start!r}")
    body = _read_body(reader, headers, until_close=False)
    return _Request(parts[0], parts[1], _rebuild(start, headers) + body)


def _read_response(sock: socket.socket, head: bool) -> bytes:
    reader = _Reader(sock)
    raw_head = reader.until(b"\r\n\r\n")
    if raw_head is None:
        raise ProxyError("no answer from the server")
    start, headers = _parse_head(raw_head)
    status = int(start.split(" ")[1])
    if head or status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = _read_body(reader, headers, until_close=True)
    return _rebuild(start, headers) + body


def _read_all(sock: socket.socket, limit_seconds: float) -> bytes:
    sock.settimeout(limit_seconds)
    data = b""
    while True:
        chunk = sock.recv(RECV)
        if not chunk:
            return data
        data += chunk


def _status_of(response: bytes) -> int | None:
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None
