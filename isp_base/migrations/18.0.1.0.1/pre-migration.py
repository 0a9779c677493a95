# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The RouterOS API fields of ``isp.nas`` (``api_host``, ``api_port``, ``api_use_ssl``,
``api_username``, ``api_password``, ``api_timeout``) and their two SQL constraints moved to
isp_network. Hand them over before isp_base is loaded (what OpenUpgrade's
``update_module_moved_fields`` does): otherwise, at the end of the update, Odoo would delete
what isp_base no longer declares, dropping the columns and their data wherever isp_network is
not installed. Where it is, isp_network takes them as they are; where it is not, the columns
stay unused on ``isp_nas`` until it is."""

FIELDS = ("api_host", "api_port", "api_use_ssl", "api_username", "api_password", "api_timeout")
CONSTRAINTS = ("isp_nas_api_port_range", "isp_nas_api_timeout_positive")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """UPDATE ir_model_data SET module = 'isp_network'
            WHERE module = 'isp_base' AND model = 'ir.model.fields' AND name IN %s
              AND NOT EXISTS (SELECT 1 FROM ir_model_data other
                               WHERE other.module = 'isp_network' AND other.name = ir_model_data.name)""",
        [tuple(f"field_isp_nas__{name}" for name in FIELDS)],
    )
    cr.execute("SELECT id FROM ir_module_module WHERE name = 'isp_network'")
    row = cr.fetchone()
    if not row:
        return
    cr.execute(
        """UPDATE ir_model_data SET module = 'isp_network'
            WHERE module = 'isp_base' AND model = 'ir.model.constraint' AND name IN %s
              AND NOT EXISTS (SELECT 1 FROM ir_model_data other
                               WHERE other.module = 'isp_network' AND other.name = ir_model_data.name)""",
        [tuple(f"constraint_{name}" for name in CONSTRAINTS)],
    )
    cr.execute(
        """UPDATE ir_model_constraint SET module = %s
            WHERE name IN %s AND module = (SELECT id FROM ir_module_module WHERE name = 'isp_base')
              AND NOT EXISTS (SELECT 1 FROM ir_model_constraint other
                               WHERE other.module = %s AND other.name = ir_model_constraint.name)""",
        [row[0], CONSTRAINTS, row[0]],
    )
