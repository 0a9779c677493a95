# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import res_company
from . import res_config_settings
from . import helpdesk_ticket
from . import isp_subscription
from . import isp_incident
from . import isp_incident_credit
from . import helpdesk_ticket_incident
from . import res_partner_incident
from . import res_company_credit
