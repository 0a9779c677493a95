# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Coordinates."""


def valid_coordinates(latitude, longitude):
    """True for a latitude within -90..90 and a longitude within -180..180 (WGS 84 degrees)."""
    return -90 <= latitude <= 90 and -180 <= longitude <= 180
