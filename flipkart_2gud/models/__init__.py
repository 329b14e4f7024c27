from . import flipkart_account
