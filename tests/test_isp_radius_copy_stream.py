# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Handing a binary COPY from one thread to another (isp_radius.lib.copy_stream)."""

import struct
import threading
from datetime import datetime

import pytest

from isp_radius.lib.copy_stream import CHUNK, CopyStream, last_key

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)


def row(text, changed_at, radacct_id):
    """One tuple as PostgreSQL writes it: a text column, then a timestamp and a bigint."""
    micros = int((changed_at - datetime(2000, 1, 1)).total_seconds() * 1_000_000)
    data = text.encode()
    return (
        struct.pack(">h", 3)
        + struct.pack(">i", len(data))
        + data
        + struct.pack(">iq", 8, micros)
        + struct.pack(">iq", 8, radacct_id)
    )


def test_last_key_reads_the_final_row():
    rows = [row("a", datetime(2026, 11, 30, 8, 0, 1), 7), row("\n\t", datetime(2026, 11, 30, 8, 0, 2, 5), 12)]
    copy = HEADER + b"".join(rows) + TRAILER
    assert last_key(copy) == (datetime(2026, 11, 30, 8, 0, 2, 5), 12)
    assert last_key(copy[-22:]) == (datetime(2026, 11, 30, 8, 0, 2, 5), 12)


def test_reader_gets_every_byte_in_order_while_the_writer_writes():
    stream = CopyStream()
    pieces = [row(f"session-{n}", datetime(2026, 11, 30), n) for n in range(20000)]
    expected = HEADER + b"".join(pieces) + TRAILER

    def write():
        stream.write(HEADER)
        for piece in pieces:  # one call per row, as psycopg2 does
            stream.write(piece)
        stream.write(TRAILER)
        stream.close()

    writer = threading.Thread(target=write)
    writer.start()
    received = []
    while chunk := stream.read(8192):
        received.append(chunk)
    writer.join()
    assert b"".join(received) == expected
    assert len(received) < len(pieces) / 10, "rows are handed over in chunks, not one by one"
    assert max(map(len, received)) < 2 * CHUNK
    assert last_key(stream.tail) == (datetime(2026, 11, 30), 19999)


def test_an_empty_copy_ends_at_once():
    stream = CopyStream()
    stream.write(HEADER + TRAILER)
    stream.close()
    assert stream.read() == HEADER + TRAILER
    assert stream.read() == b""


def test_the_writers_error_reaches_the_reader_after_what_was_written():
    stream = CopyStream()
    stream.write(b"partial")
    stream.close(RuntimeError("the RADIUS database went away"))
    assert stream.read() == b"partial"
    with pytest.raises(RuntimeError, match="went away"):
        stream.read()
