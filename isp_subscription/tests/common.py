# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.isp_base.tests.common import IspBaseCommon
from odoo.addons.queue_job.job import Job


class IspSubscriptionCommon(IspBaseCommon):
    """isp_base's users and helpers, plus a plan, a customer and a recorded provisioner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["product.template"].create(cls.plan_vals()).product_variant_id
        cls.faster_plan = (
            cls.env["product.template"]
            .create(
                cls.plan_vals(name="Test 50 Mbps", download_kbps=50000, upload_kbps=25000, list_price=450000)
            )
            .product_variant_id
        )
        cls.capped_plan = (
            cls.env["product.template"]
            .create(
                cls.plan_vals(name="Capped", data_cap_gb=300, fup_download_kbps=2000, fup_upload_kbps=1000)
            )
            .product_variant_id
        )
        cls.static_plan = (
            cls.env["product.template"]
            .create(cls.plan_vals(name="Static", connection_type="static_ip"))
            .product_variant_id
        )
        cls.customer = cls.env["res.partner"].create(cls.customer_vals(isp_site_id=cls.pop.id))
        # No provisioner is active unless a test says so.
        cls.env["isp.provisioner"].search([]).active = False

    @classmethod
    def subscribe(cls, plan=None, **values):
        return cls.env["isp.subscription"].create(
            {"partner_id": cls.customer.id, "product_id": (plan or cls.plan).id, **values}
        )

    def provisioning_jobs(self, state="pending"):
        return self.env["queue.job"].search(
            [("model_name", "=", "isp.provisioning"), ("method_name", "=", "_apply"), ("state", "=", state)],
            order="id",
        )

    def run_provisioning_jobs(self):
        """Run the provisioning jobs pending now, as the job runner would (not those they enqueue)."""
        for record in self.provisioning_jobs():
            self.run_job(record)

    def run_job(self, record):
        """Run one stored job as the job runner would."""
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        job.perform()
        job.set_done()
        job.store()
        if job.should_check_dependents():  # as the job runner does after its commit
            self.env.flush_all()
            job.enqueue_waiting()


class IspBillingCommon(IspSubscriptionCommon):
    """A taxed plan, customers and helpers to run invoicing and dunning jobs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of its own, so that the demo data's subscriptions stay out of the runs.
        idr = cls.env.ref("base.IDR")
        idr.active = True
        cls.company = cls.env["res.company"].create(
            {"name": "Test ISP", "country_id": cls.indonesia.id, "currency_id": idr.id}
        )
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        # The customer and the site serve this company.
        cls.customer.isp_site_id = False
        cls.pop.company_id = cls.company
        cls.customer.write({"company_id": cls.company.id, "isp_site_id": cls.pop.id})
        cls.tax = cls.env["account.tax"].create(
            {"name": "PPN 11%", "amount": 11, "amount_type": "percent", "type_tax_use": "sale"}
        )
        (cls.plan | cls.faster_plan | cls.capped_plan | cls.static_plan).taxes_id = cls.tax
        cls.capped_plan.write({"overage_price_per_gb": 5000})
        cls.env["isp.dunning.step"].search([]).unlink()

    @classmethod
    def new_customer(cls, name="Customer", **values):
        return cls.env["res.partner"].create(cls.customer_vals(name=name, mobile=False, **values))

    @classmethod
    def subscribe_active(cls, partner=None, plan=None, date_start="2026-10-01", **values):
        subscription = cls.env["isp.subscription"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "product_id": (plan or cls.plan).id,
                "date_start": date_start,
                **values,
            }
        )
        subscription.action_activate()
        return subscription

    def queued_jobs(self, model, method):
        return self.env["queue.job"].search(
            [("model_name", "=", model), ("method_name", "=", method), ("state", "=", "pending")], order="id"
        )

    def run_jobs(self, model, method):
        for record in self.queued_jobs(model, method):
            self.run_job(record)

    def invoice(self, date):
        """An invoicing run on ``date``, with its jobs run."""
        run = self.env["isp.invoice.run"].create({"date": date})
        run.action_start()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        self.run_jobs("isp.invoice.run", "_finish")
        return run

    def invoices(self, partner=None):
        domain = [("isp_invoice", "=", True), ("state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["account.move"].search(domain, order="id")

    def pay(self, moves):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids
        ).create({}).action_create_payments()
