from . import flipkart_bin_import_wizard
from . import flipkart_test_inventory_wizard
from . import flipkart_smart_return_upload
