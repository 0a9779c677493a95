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
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            job.perform()
            job.set_done()
            job.store()
