from . import flipkart_setup_wizard
