from . import test_nas_api
from . import test_routeros
from . import test_routeros_field
