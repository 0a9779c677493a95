# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Fixtures for the portal's tests: portal customers, their subscriptions and invoices,
the demo payment provider and saved payment methods. A mixin, for TransactionCase and
HttpCase alike: its class methods use ``cls.env`` and dates relative to today."""

from datetime import timedelta

from odoo import Command, fields

from odoo.addons.queue_job.job import Job


class IspPortalFixtures:
    """Portal customers and payments; call the class methods from ``setUpClass``."""

    @classmethod
    def isp_require_payment_demo(cls):
        """Odoo's demo payment provider, ready to pay in ``company`` (the tests need it: it is
        installed with the isp_* addons by ``setup/isp.py``; never skipped)."""
        module = cls.env["ir.module.module"].search([("name", "=", "payment_demo")])
        assert module.state == "installed", (
            "payment_demo must be installed beside isp_portal (setup/isp.py installs it): "
            "the payment tests cannot run without it"
        )

    @classmethod
    def isp_demo_provider(cls, company=None):
        """The demo provider of ``company`` (the current one by default): enabled in test mode,
        published, saving payment methods, with a bank journal."""
        cls.isp_require_payment_demo()
        company = company or cls.env.company
        Provider = cls.env["payment.provider"].sudo()
        base = cls.env.ref("payment.payment_provider_demo").sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", company.id)], limit=1)
        if not provider:
            provider = base.copy({"company_id": company.id, "name": "Demo"})
        # Only the demo provider is offered, so that the tours find it alone.
        Provider.search([("company_id", "=", company.id), ("id", "!=", provider.id)]).write(
            {"state": "disabled"}
        )
        provider.write({"state": "test", "is_published": True, "allow_tokenization": True})
        if not provider.journal_id:
            provider.journal_id = cls.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
            )
        return provider

    @classmethod
    def isp_portal_plan(cls, name="Portal 20 Mbps", price=200000, **values):
        return (
            cls.env["product.template"]
            .create(
                {
                    "name": name,
                    "is_isp_plan": True,
                    "type": "service",
                    "list_price": price,
                    "download_kbps": 20000,
                    "upload_kbps": 10000,
                    "taxes_id": [Command.clear()],
                    **values,
                }
            )
            .product_variant_id
        )

    @classmethod
    def isp_portal_user(cls, login, name, company=None):
        """A portal user whose contact is an ISP customer; the password is the login (as
        ``start_tour(login=...)`` and ``authenticate(login, login)`` expect)."""
        company = company or cls.env.company
        user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": name,
                    "login": login,
                    "password": login,
                    "email": f"{login}@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
                }
            )
        )
        user.partner_id.write(
            {"is_isp_customer": True, "country_id": cls.env.ref("base.id").id, "company_id": company.id}
        )
        return user

    @classmethod
    def isp_portal_subscription(cls, partner, plan, months_ago=2, **values):
        """An active subscription started ``months_ago`` months back, billed up to yesterday."""
        today = fields.Date.context_today(cls.env.user)
        start = today - timedelta(days=30 * months_ago)
        subscription = cls.env["isp.subscription"].create(
            {
                "partner_id": partner.id,
                "product_id": plan.id,
                "date_start": start,
                "billed_until": today - timedelta(days=1),
                "company_id": partner.company_id.id or cls.env.company.id,
                **values,
            }
        )
        subscription._activate()
        return subscription

    @classmethod
    def isp_portal_invoice(cls, subscription, amount=None, days_overdue=0):
        """A posted ISP invoice of ``subscription``, due ``days_overdue`` days ago."""
        today = fields.Date.context_today(cls.env.user)
        due = today - timedelta(days=days_overdue)
        company = subscription.company_id
        journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": subscription.partner_id.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "isp_invoice": True,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": subscription.product_id.id,
                                "name": subscription.product_id.name,
                                "quantity": 1,
                                "price_unit": amount or subscription.product_id.lst_price,
                                "tax_ids": [Command.clear()],
                                "isp_subscription_id": subscription.id,
                                "isp_period_start": due,
                                "isp_period_end": due + timedelta(days=29),
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def isp_suspend_for_debt(cls, subscription, invoice):
        """Suspended by dunning for ``invoice``, as the dunning run does it."""
        cls.env["isp.dunning.log"].create(
            {
                "move_id": invoice.id,
                "days_after_due": 10,
                "action": "suspend",
                "date": fields.Date.context_today(cls.env.user),
            }
        )
        subscription._suspend(reason="Unpaid invoice", for_debt=True)

    @classmethod
    def isp_demo_token(cls, partner, provider, simulated_state="done", details="4242"):
        """A saved demo payment method of ``partner`` whose payments end in ``simulated_state``."""
        return (
            cls.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": cls.env.ref("payment_demo.payment_method_demo").id,
                    "partner_id": partner.id,
                    "payment_details": details,
                    "provider_ref": f"demo-{partner.id}-{details}",
                    "demo_simulated_state": simulated_state,
                }
            )
        )

    def isp_demo_online_transaction(self, invoice, provider):
        """A transaction of the invoice's customer paying it online, as ``/invoice/transaction``
        makes it."""
        Transaction = self.env["payment.transaction"].sudo()
        return Transaction.create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                "reference": Transaction._compute_reference("demo", prefix=invoice.name),
                "amount": invoice.amount_residual,
                "currency_id": invoice.currency_id.id,
                "partner_id": invoice.partner_id.id,
                "operation": "online_direct",
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )

    def isp_notify_demo(self, transaction, state="done"):
        """The provider's notification, as the demo provider's route handles it, then Odoo's
        post-processing (as the status page or the cron triggers it)."""
        self.env["payment.transaction"].sudo()._handle_notification_data(
            "demo", {"reference": transaction.reference, "simulated_state": state}
        )
        transaction._post_process()

    @classmethod
    def isp_usage(cls, subscription, days=10, gb_per_day=3):
        """Daily usage of the last ``days`` days."""
        today = fields.Date.context_today(cls.env.user)
        cls.env["isp.usage.daily"].create(
            [
                {
                    "subscription_id": subscription.id,
                    "day": today - timedelta(days=offset),
                    "bytes_down": gb_per_day * 0.8e9,
                    "bytes_up": gb_per_day * 0.2e9,
                }
                for offset in range(days)
            ]
        )

    def isp_run_queue_job(self, record):
        """Run one stored queue job as the job runner would."""
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        job.perform()
        job.set_done()
        job.store()
