from . import test_2gud_account
