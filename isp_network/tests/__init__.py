from . import test_routeros
