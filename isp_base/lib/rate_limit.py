# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""MikroTik ``rate-limit`` strings from a plan's speeds.

RouterOS reads ``rx/tx`` from the router's side: *rx* is what the router
receives from the customer (upload), *tx* what it sends (download). The full
form, used by PPP profiles, RADIUS ``Mikrotik-Rate-Limit`` and simple queues:

    rx/tx [rx-burst/tx-burst [rx-threshold/tx-threshold [rx-time/tx-time]]]

Speeds are whole kbit/s; RouterOS's ``k`` and ``M`` are powers of 1000.
"""


def format_rate(kbps):
    """``10000`` -> ``"10M"``, ``512`` -> ``"512k"``."""
    if kbps < 0:
        raise ValueError("a rate cannot be negative")
    if kbps and kbps % 1000 == 0:
        return f"{kbps // 1000}M"
    return f"{kbps}k"


def rate_limit(
    download_kbps,
    upload_kbps,
    burst_download_kbps=0,
    burst_upload_kbps=0,
    threshold_download_kbps=0,
    threshold_upload_kbps=0,
    burst_time=0,
):
    """The rate-limit string for these speeds; burst parts only when a burst is set."""
    parts = [f"{format_rate(upload_kbps)}/{format_rate(download_kbps)}"]
    if burst_download_kbps or burst_upload_kbps:
        parts.append(
            f"{format_rate(burst_upload_kbps or upload_kbps)}/{format_rate(burst_download_kbps or download_kbps)}"
        )
        parts.append(
            f"{format_rate(threshold_upload_kbps or upload_kbps)}"
            f"/{format_rate(threshold_download_kbps or download_kbps)}"
        )
        parts.append(f"{burst_time}/{burst_time}")
    return " ".join(parts)
