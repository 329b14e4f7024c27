from . import flipkart_account
from . import flipkart_location
from . import stock_location
from . import flipkart_smart_assignment
from . import stock_move
from . import flipkart_listing
from . import product_product
