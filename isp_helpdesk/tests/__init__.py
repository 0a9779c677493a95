# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_ticket_context
from . import test_ticket_customer_360
from . import test_offline_watch
from . import test_tour
from . import test_incident
from . import test_incident_xmlrpc
from . import test_notification
from . import test_credit
from . import test_ticket_sla
