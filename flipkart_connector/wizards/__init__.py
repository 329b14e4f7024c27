from . import flipkart_setup_wizard
from . import flipkart_fetch_orders_wizard
from . import flipkart_seller_cancel_wizard
from . import flipkart_prefetch_wizard
from . import flipkart_manifest_wizard
from . import flipkart_self_ship_wizard
from . import flipkart_return_action_wizard
