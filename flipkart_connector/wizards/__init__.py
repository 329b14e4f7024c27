from . import flipkart_setup_wizard
from . import flipkart_fetch_orders_wizard
