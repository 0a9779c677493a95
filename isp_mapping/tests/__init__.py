from . import test_map_data
from . import test_map_billing
from . import test_map_http
from . import test_tour
from . import test_map_benchmark
