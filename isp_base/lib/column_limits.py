# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Limits of PostgreSQL columns, checked before the SQL runs.

A value too large for its column makes PostgreSQL answer with a bare "integer out
of range" and aborts the transaction; checking it first gives the user a clear
message instead. Odoo stores ``fields.Integer`` in an ``int4`` column.
"""

INT4_MIN = -(2**31)
INT4_MAX = 2**31 - 1


def fits_int4(value):
    """False when ``value``, stored as Odoo stores an Integer field (``int(value or 0)``),
    does not fit an ``int4`` column. Values that are not numbers at all are left to Odoo
    (True here): this check is only about the range."""
    try:
        number = int(value or 0)
    except OverflowError:  # float("inf")
        return False
    except (TypeError, ValueError):
        return True
    return INT4_MIN <= number <= INT4_MAX


def out_of_int4_range(values, names):
    """The names among ``names`` whose value in the mapping ``values`` does not fit an
    ``int4`` column, in the order of ``names`` (names missing from ``values`` are skipped)."""
    return [name for name in names if name in values and not fits_int4(values[name])]
