from . import flipkart_smart_bin_report
