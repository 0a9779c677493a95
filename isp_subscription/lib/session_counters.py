# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""From a session's counters to usage deltas, each byte counted once.

The network addons read counters that only grow during a session: FreeRADIUS
keeps one ``radacct`` row per session and overwrites it on every interim
update and on stop (Debian's queries already fold the gigaword counters into
64-bit octets); RouterOS shows a PPPoE user's ``<pppoe-NAME>`` interface
bytes and ``/ppp/active`` uptime. A reader that comes back now and then
therefore sees the latest counters of each session, and turns them into
deltas against the counters it saw last time:

- a session seen for the first time counts from zero;
- the same counters again (a replayed packet, a row read twice) give nothing;
- counters from *before* the last ones seen (an interim update delivered late,
  which overwrote the row with older values) are ignored: the session time is
  the clock, and the next newer update counts from the last values seen;
- a counter that went down while the session time went on was restarted by
  the NAS: its whole new value is new traffic.

*Input* is what the NAS received from the customer (upload), *output* what
it sent to them (download), as RFC 2866 defines them (RouterOS: ``rx-byte``
and ``tx-byte`` of the customer's interface).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Counters:
    """A session's counters: octets in (upload) and out (download), seconds online."""

    input_octets: int = 0
    output_octets: int = 0
    session_time: int = 0


@dataclass(frozen=True)
class Delta:
    bytes_down: int
    bytes_up: int
    seconds: int

    def __bool__(self):
        return bool(self.bytes_down or self.bytes_up or self.seconds)


NOTHING = Delta(0, 0, 0)


def _increase(previous, current):
    return current - previous if current >= previous else current


def _is_stale(previous, current):
    """Nothing new: the same counters, or older ones (session time is the clock)."""
    if current.session_time != previous.session_time:
        return current.session_time < previous.session_time
    return current.input_octets <= previous.input_octets and current.output_octets <= previous.output_octets


def delta(previous, current):
    """``(Delta, counters to remember)`` for a session last seen at ``previous`` (or None)."""
    if previous is None:
        previous = Counters()
    elif _is_stale(previous, current):
        return NOTHING, previous
    return (
        Delta(
            bytes_down=_increase(previous.output_octets, current.output_octets),
            bytes_up=_increase(previous.input_octets, current.input_octets),
            seconds=_increase(previous.session_time, current.session_time),
        ),
        current,
    )
