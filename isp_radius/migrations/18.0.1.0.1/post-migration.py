# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""``isp.radius.session`` no longer keeps who wrote it and when (``_log_access = False``): every
accounting read inserts and rewrites these rows, and the two foreign keys to the users were
checked on each. Odoo keeps the columns of those four fields when a module stops declaring
them; drop them, so that an upgraded database reads accounting as fast as a new one. (Its
byte counters become double precision by Odoo's own column conversion.)"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """ALTER TABLE isp_radius_session
             DROP COLUMN IF EXISTS create_uid, DROP COLUMN IF EXISTS write_uid,
             DROP COLUMN IF EXISTS create_date, DROP COLUMN IF EXISTS write_date"""
    )
