from odoo import fields, models


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    radius_username = fields.Char(
        string="RADIUS User",
        readonly=True,
        copy=False,
        help="The user last written into the RADIUS databases: removed there if the PPPoE username changes.",
    )
    radius_session_ids = fields.One2many("isp.radius.session", "subscription_id", string="RADIUS Sessions")
