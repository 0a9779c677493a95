# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib.column_limits import INT4_MAX, INT4_MIN, out_of_int4_range
from ..lib.rate_limit import rate_limit

PLAN_MANAGER_GROUP = "isp_base.group_isp_manager"

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

    # Plans, prices and what a plan gives are the ISP Manager's (roles.md). ISP Billing
    # only reads products (ir.model.access.csv), but Odoo hands out product write
    # rights by itself: product's "Product Creation" group (product.group_product_manager)
    # is in the default internal user template, so most real billing clerks have it,
    # and accounting managers have product write too. A record rule would only see
    # the record as it was before a write (making a product a plan would pass), so
    # plans are guarded here, in create/write/unlink, whatever the ACL says.
    @api.model
    def _isp_may_manage_plans(self):
        return self.env.su or self.env.user.has_group(PLAN_MANAGER_GROUP)

    @api.model
    def _isp_check_plan_rights(self, plan_names):
        if plan_names and not self._isp_may_manage_plans():
            raise AccessError(
                self.env._(
                    "Only ISP managers can create, change or delete internet service plans (%s).",
                    ", ".join(str(name) for name in plan_names),
                )
            )

    @api.model
    def _isp_check_integer_range(self, vals):
        """Refuse Integer values that do not fit their PostgreSQL column, before the SQL runs
        (PostgreSQL's own answer is a bare "integer out of range" that aborts the transaction)."""
        names = [name for name, field in self._fields.items() if field.type == "integer" and field.store]
        for name in out_of_int4_range(vals, names):
            raise ValidationError(
                self.env._(
                    "%(field)s must be between %(min)s and %(max)s (got %(value)s).",
                    field=self._fields[name]._description_string(self.env),
                    min=INT4_MIN,
                    max=INT4_MAX,
                    value=vals[name],
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._isp_check_integer_range(vals)
        self._isp_check_plan_rights([vals.get("name") for vals in vals_list if vals.get("is_isp_plan")])
        templates = super().create(vals_list)
        # is_isp_plan may also come from the context (default_is_isp_plan)
        self._isp_check_plan_rights(templates.filtered("is_isp_plan").mapped("name"))
        return templates

    def write(self, vals):
        self._isp_check_integer_range(vals)
        self._isp_check_plan_rights(
            (self if vals.get("is_isp_plan") else self.filtered("is_isp_plan")).mapped("name")
        )
        return super().write(vals)

    def unlink(self):
        self._isp_check_plan_rights(self.filtered("is_isp_plan").mapped("name"))
        return super().unlink()

    @api.onchange("is_isp_plan")
    def _onchange_is_isp_plan(self):
        if self.is_isp_plan:
            self.type = "service"
            self.sale_ok = True

    @api.constrains(
        "is_isp_plan",
        "list_price",
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
        for name in (
            "list_price",
            "installation_fee",
            "overage_price_per_gb",
            "extra_hour_price",
            "burst_download_kbps",
            "burst_upload_kbps",
            "burst_threshold_download_kbps",
            "burst_threshold_upload_kbps",
            "burst_time",
            "data_cap_gb",
            "fup_download_kbps",
            "fup_upload_kbps",
            "included_hours",
        ):
            if self[name] < 0:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: %(field)s cannot be negative.",
                        plan=self.name,
                        field=self._fields[name]._description_string(self.env),
                    )
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
        if self.fup_download_kbps > self.download_kbps or self.fup_upload_kbps > self.upload_kbps:
            raise ValidationError(
                self.env._("Plan %s: the fair-usage speeds cannot be higher than the plan rates.", self.name)
            )
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


class ProductProduct(models.Model):
    """The variant of a plan is the plan: its own fields (archiving it, say) are the
    ISP Manager's too (see ProductTemplate._isp_check_plan_rights)."""

    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        self.env["product.template"]._isp_check_plan_rights(products.filtered("is_isp_plan").mapped("name"))
        return products

    def write(self, vals):
        self.env["product.template"]._isp_check_plan_rights(self.filtered("is_isp_plan").mapped("name"))
        return super().write(vals)

    def unlink(self):
        self.env["product.template"]._isp_check_plan_rights(self.filtered("is_isp_plan").mapped("name"))
        return super().unlink()
