from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib.rate_limit import rate_limit

# The plan fields that make its MikroTik rate-limit.
SPEED_FIELDS = (
    "download_kbps",
    "upload_kbps",
    "burst_download_kbps",
    "burst_upload_kbps",
    "burst_threshold_download_kbps",
    "burst_threshold_upload_kbps",
    "burst_time",
)


class ProductTemplate(models.Model):
    """Service plans are sellable service products, so that invoices, taxes and
    pricelists come from Odoo. Speeds are kbit/s; data volumes are GB (10^9 bytes)."""

    _inherit = "product.template"

    is_isp_plan = fields.Boolean(string="Internet Service Plan", index=True)
    connection_type = fields.Selection(
        [("pppoe", "PPPoE"), ("hotspot", "Hotspot"), ("static_ip", "Static IP"), ("dhcp", "DHCP")],
        default="pppoe",
    )
    billing_period = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")],
        default="monthly",
    )
    download_kbps = fields.Integer(string="Download (kbit/s)")
    upload_kbps = fields.Integer(string="Upload (kbit/s)")
    burst_download_kbps = fields.Integer(string="Burst Download (kbit/s)", help="0: no burst.")
    burst_upload_kbps = fields.Integer(string="Burst Upload (kbit/s)", help="0: no burst.")
    burst_threshold_download_kbps = fields.Integer(
        string="Burst Threshold Download (kbit/s)",
        help="Burst is allowed while the average rate stays below this threshold (0: the plan rate).",
    )
    burst_threshold_upload_kbps = fields.Integer(string="Burst Threshold Upload (kbit/s)")
    burst_time = fields.Integer(string="Burst Time (s)", help="Averaging window of the burst, in seconds.")
    data_cap_gb = fields.Integer(
        string="Data Cap (GB)", help="Monthly data included, in GB (10^9 bytes). 0: unlimited."
    )
    fup_download_kbps = fields.Integer(
        string="Fair-Usage Download (kbit/s)", help="Speed once the data cap is reached."
    )
    fup_upload_kbps = fields.Integer(string="Fair-Usage Upload (kbit/s)")
    overage_price_per_gb = fields.Monetary(
        string="Overage Price per GB", currency_field="currency_id", help="Charged per GB beyond the cap."
    )
    installation_fee = fields.Monetary(currency_field="currency_id")
    included_hours = fields.Integer(help="Session hours included per period (hotspot). 0: unlimited.")
    extra_hour_price = fields.Monetary(string="Price per Extra Hour", currency_field="currency_id")
    rate_limit = fields.Char(
        compute="_compute_rate_limit",
        help="MikroTik rate-limit (upload/download, as the router sees it) sent to the network.",
    )

    @api.depends("is_isp_plan", *SPEED_FIELDS)
    def _compute_rate_limit(self):
        for plan in self:
            if plan.is_isp_plan and plan.download_kbps > 0 and plan.upload_kbps > 0:
                plan.rate_limit = rate_limit(
                    plan.download_kbps,
                    plan.upload_kbps,
                    plan.burst_download_kbps,
                    plan.burst_upload_kbps,
                    plan.burst_threshold_download_kbps,
                    plan.burst_threshold_upload_kbps,
                    plan.burst_time,
                )
            else:
                plan.rate_limit = False

    def _isp_fair_usage_rate_limit(self):
        """The rate-limit once the data cap is reached (the plan's own when it has no cap)."""
        self.ensure_one()
        if not self.data_cap_gb:
            return self.rate_limit
        return rate_limit(self.fup_download_kbps, self.fup_upload_kbps)

    @api.onchange("is_isp_plan")
    def _onchange_is_isp_plan(self):
        if self.is_isp_plan:
            self.type = "service"
            self.sale_ok = True

    @api.constrains(
        "is_isp_plan",
        *SPEED_FIELDS,
        "data_cap_gb",
        "fup_download_kbps",
        "fup_upload_kbps",
        "overage_price_per_gb",
        "installation_fee",
        "included_hours",
        "extra_hour_price",
    )
    def _check_isp_plan(self):
        for plan in self.filtered("is_isp_plan"):
            plan._check_isp_plan_values()

    def _check_isp_plan_values(self):
        self.ensure_one()
        if self.download_kbps <= 0 or self.upload_kbps <= 0:
            raise ValidationError(
                self.env._("Plan %s: download and upload rates must be positive.", self.name)
            )
        non_negative = [
            self.burst_download_kbps,
            self.burst_upload_kbps,
            self.burst_threshold_download_kbps,
            self.burst_threshold_upload_kbps,
            self.burst_time,
            self.data_cap_gb,
            self.fup_download_kbps,
            self.fup_upload_kbps,
            self.overage_price_per_gb,
            self.installation_fee,
            self.included_hours,
            self.extra_hour_price,
        ]
        if any(value < 0 for value in non_negative):
            raise ValidationError(
                self.env._("Plan %s: speeds, volumes, hours and prices cannot be negative.", self.name)
            )
        for rate, burst, threshold in (
            (self.download_kbps, self.burst_download_kbps, self.burst_threshold_download_kbps),
            (self.upload_kbps, self.burst_upload_kbps, self.burst_threshold_upload_kbps),
        ):
            if burst and burst < rate:
                raise ValidationError(
                    self.env._("Plan %s: a burst rate cannot be lower than the plan rate.", self.name)
                )
            if burst and threshold > burst:
                raise ValidationError(
                    self.env._("Plan %s: a burst threshold cannot be higher than the burst rate.", self.name)
                )
        if (self.burst_download_kbps or self.burst_upload_kbps) and not self.burst_time:
            raise ValidationError(self.env._("Plan %s: a burst needs a burst time.", self.name))
        if self.data_cap_gb:
            if not (
                0 < self.fup_download_kbps < self.download_kbps
                and 0 < self.fup_upload_kbps < self.upload_kbps
            ):
                raise ValidationError(
                    self.env._(
                        "Plan %s: with a data cap, the fair-usage speeds must be set and lower than the plan rates.",
                        self.name,
                    )
                )
