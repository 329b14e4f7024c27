from . import flipkart_account
from . import flipkart_location
from . import flipkart_event
from . import flipkart_listing
from . import product_template
