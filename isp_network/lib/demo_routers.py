# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""RouterOS API access of the demo ISP's routers, as plain data.

isp_base's demo generator (``isp_base/lib/demo_generator.py``) makes one MikroTik NAS per
POP with isp_base's fields only; the API access is this addon's, so it is given here, from
what the NAS rows already hold: the router answers API-SSL on its own address, with one
API user for Odoo and a password per POP.
"""

API_SSL_PORT = 8729
API_USER = "odoo-api"


def api_access(site_code, ip_address):
    """The ``api_*`` values of the demo router of the POP ``site_code`` at ``ip_address``."""
    return {
        "api_host": ip_address,
        "api_port": API_SSL_PORT,
        "api_use_ssl": True,
        "api_username": API_USER,
        "api_password": f"demo-{site_code.lower()}-api",
    }
