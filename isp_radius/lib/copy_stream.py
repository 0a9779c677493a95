# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Moving a batch of radacct rows from the RADIUS database into Odoo's as it is read.

One thread runs ``COPY (...) TO STDOUT`` on the RADIUS database into a
:class:`CopyStream` while the other runs ``COPY ... FROM STDIN`` on Odoo's from
the same stream: both servers work at once, and the batch is loaded in the time
of the slower of the two instead of their sum. A batch read ahead (while the
previous one is being written) is simply read from memory.

Both copies are in PostgreSQL's binary format; :func:`last_key` reads the
batch's last ``(changed_at, radacctid)`` from its final bytes.
"""

import collections
import struct
import threading
from datetime import datetime, timedelta

# Bytes handed from the writing thread to the reading one at a time: psycopg2 writes one
# call per row, and a lock per row would cost more than the copy.
CHUNK = 1 << 16
# PostgreSQL's binary timestamps count microseconds from this moment.
POSTGRES_EPOCH = datetime(2000, 1, 1)
# A binary COPY whose rows end with two 8-byte columns ends with: 4-byte length, 8 bytes,
# 4-byte length, 8 bytes, then the 2-byte trailer.
LAST_KEY = struct.Struct(">q4xq")
LAST_KEY_BYTES = LAST_KEY.size + 2


def last_key(tail):
    """``(changed_at, radacctid)`` of the last row of a binary COPY whose last two columns are
    a timestamp and a bigint, neither null. ``tail``: the copy's final bytes (at least 22)."""
    micros, radacct_id = LAST_KEY.unpack_from(tail, len(tail) - LAST_KEY_BYTES)
    return POSTGRES_EPOCH + timedelta(microseconds=micros), radacct_id


class CopyStream:  # a file object: its read() and write() are not the ORM's
    """A file written by one thread (psycopg2's COPY TO) and read by another (COPY FROM) as the
    data comes. Writing never blocks (a batch is held in memory at most once);
    reading waits for data, and ends (``b""``) when the writer has closed the stream,
    or raises the writer's error. :attr:`tail` keeps the last bytes written."""

    def __init__(self):
        self._ready = threading.Condition()
        self._chunks = collections.deque()
        self._pending = []
        self._pending_size = 0
        self._closed = False
        self._error = None
        self.tail = b""

    def write(self, data):  # pylint: disable=method-required-super
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= CHUNK:
            self._hand_over()
        return len(data)

    def _hand_over(self):
        chunk = b"".join(self._pending)
        self._pending = []
        self._pending_size = 0
        self.tail = (self.tail + chunk[-LAST_KEY_BYTES:])[-LAST_KEY_BYTES:]
        with self._ready:
            self._chunks.append(chunk)
            self._ready.notify()

    def close(self, error=None):
        """The writer is done; with ``error``, the reader raises it instead of ending."""
        if self._pending:
            self._hand_over()
        with self._ready:
            self._closed = True
            self._error = error
            self._ready.notify()

    def read(self, size=-1):  # pylint: disable=method-required-super
        """The next chunk, whatever its size (psycopg2 sends it as it is)."""
        with self._ready:
            while not self._chunks and not self._closed:
                self._ready.wait()
            if self._chunks:
                return self._chunks.popleft()
            if self._error is not None:
                raise self._error
            return b""
