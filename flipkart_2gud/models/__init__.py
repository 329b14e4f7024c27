from . import flipkart_account
from . import product
from . import stock_picking
from . import flipkart_fulfilment
from . import account_move
