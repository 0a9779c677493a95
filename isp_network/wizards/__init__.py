from . import isp_routeros_reconcile
