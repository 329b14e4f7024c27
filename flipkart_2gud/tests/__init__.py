from . import test_2gud_account
from . import test_2gud_refurbished
from . import test_2gud_errors
from . import test_2gud_flows
from . import test_2gud_margin
