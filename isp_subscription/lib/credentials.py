# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Which PPPoE / hotspot usernames and passwords the network can authenticate.

FreeRADIUS (its SQL module and the ``unlang`` expansions in its queries) and the
RouterOS API both handle printable ASCII safely. Whitespace, quotes and
backslashes are escaped differently by each of them (or cut at the first
space by a CPE's web form), non-ASCII text is encoded differently by each NAS,
and RADIUS carries at most 128 octets of password (RFC 2865, 5.2). So a
credential is printable ASCII without space, quote, backquote or backslash.
Usernames are also compared without regard to case, since some NAS lower-case
the name the customer typed.
"""

USERNAME_MAX = 64
PASSWORD_MAX = 128
FORBIDDEN = frozenset("'\"`\\")


def normalize_username(username):
    """The username as stored: surrounding whitespace removed."""
    return username.strip() if isinstance(username, str) else username


def _problem(value, maximum):
    if not value:
        return "empty"
    if len(value) > maximum:
        return "too_long"
    for char in value:
        if not 33 <= ord(char) <= 126:
            return "whitespace" if char.isspace() else "not_ascii"
        if char in FORBIDDEN:
            return "forbidden"
    return None


def username_problem(username):
    """None for a usable username, else one of: empty, too_long, whitespace, not_ascii, forbidden."""
    return _problem(username, USERNAME_MAX)


def password_problem(password):
    """None for a usable password, else one of: empty, too_long, whitespace, not_ascii, forbidden."""
    return _problem(password, PASSWORD_MAX)
