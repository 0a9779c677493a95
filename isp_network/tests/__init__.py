from . import test_routeros
from . import test_routeros_field
