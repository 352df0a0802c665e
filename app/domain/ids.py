"""Record identifiers: UUIDv7 (RFC 9562), made on the client, time-ordered for index locality."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7_from(unix_ms: int, rand_a: int, rand_b: int) -> str:
    """Assemble a UUIDv7 string from its 48-bit time, 12-bit and 62-bit random parts."""
    value = (unix_ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= (rand_a & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand_b & 0x3FFF_FFFF_FFFF_FFFF
    return str(uuid.UUID(int=value))


def new_id() -> str:
    """A new UUIDv7; ids made in one process are strictly increasing."""
    global _last_ms, _counter
    with _lock:
        now = time.time_ns() // 1_000_000
        if now <= _last_ms:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = 0
            now = _last_ms
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = now
        rand_b = int.from_bytes(os.urandom(8), "big")
        return uuid7_from(now, _counter, rand_b)


def is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, AttributeError, TypeError):
        return False
