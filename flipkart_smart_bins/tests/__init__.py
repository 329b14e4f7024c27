from . import test_install
from . import test_smart_bins
from . import test_bin_import
from . import test_smart_stock
from . import test_smart_concurrency
from . import test_bin_planner
from . import test_replenishment
from . import test_smart_orders
