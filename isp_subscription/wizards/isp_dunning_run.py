# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import Counter

from odoo import api, fields, models

from ..models.isp_dunning import ACTION_SELECTION


class IspDunningRunWizard(models.TransientModel):
    """*Run Dunning Now*: what each dunning step would do today, then the run itself."""

    _name = "isp.dunning.run.wizard"
    _description = "Run Dunning Now"

    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda s: s.env.company)
    line_ids = fields.One2many("isp.dunning.run.wizard.line", "wizard_id", string="Steps Due", readonly=True)
    summary = fields.Char(readonly=True)

    @api.model
    def _action_open(self):
        """A wizard holding today's preview (computed once, nothing changed), as an action."""
        self.env["isp.dunning"]._check_billing()
        today = fields.Date.context_today(self)
        lines = self.env["isp.dunning"]._preview(today)
        counts = Counter(line["action"] for line in lines)
        labels = dict(self.env["isp.dunning.log"]._fields["action"]._description_selection(self.env))
        summary = (
            ", ".join(
                f"{labels[action]}: {counts[action]}" for action, _label in ACTION_SELECTION if counts[action]
            )
            if lines
            else self.env._("Nothing is due today.")
        )
        wizard = self.create(
            {"date": today, "summary": summary, "line_ids": [fields.Command.create(line) for line in lines]}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Run Dunning Now"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_run(self):
        """Run the dunning of the wizard's company as of its date (enqueues the jobs)."""
        self.ensure_one()
        jobs = self.env["isp.dunning"].with_company(self.company_id).run(self.date)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The dunning is running (%s jobs): see the Dunning Log in a few minutes.", jobs
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class IspDunningRunWizardLine(models.TransientModel):
    _name = "isp.dunning.run.wizard.line"
    _description = "Dunning Step Due Today"
    _order = "id"

    wizard_id = fields.Many2one("isp.dunning.run.wizard", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_due = fields.Monetary(readonly=True)
    days_overdue = fields.Integer(readonly=True)
    action = fields.Selection(ACTION_SELECTION, readonly=True)
    description = fields.Char(string="What It Does", readonly=True)
