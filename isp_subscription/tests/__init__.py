from . import test_subscription
from . import test_provisioning
from . import test_usage
from . import test_invoicing
from . import test_dunning
from . import test_dunning_run
from . import test_dunning_xmlrpc
from . import test_journal_items
