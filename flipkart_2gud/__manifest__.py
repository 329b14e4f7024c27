{
    "name": "Flipkart 2GUD",
    "summary": "Sell refurbished goods on 2GUD through the Flipkart connector",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/flipkart-odoo/flipkart-connector",
    "author": "Flipkart Connector Team",
    "maintainers": ["flipkart-connector-team"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    # stock_account: the cost of a lot or serial (refurbished goods).
    "depends": ["flipkart_connector", "stock_account"],
    "data": [
        "views/product_views.xml",
        "views/flipkart_account_views.xml",
        "views/account_move_views.xml",
        "wizards/flipkart_setup_wizard_views.xml",
    ],
    "installable": True,
}
