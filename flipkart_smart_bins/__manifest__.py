{
    "name": "Flipkart Smart Fulfilment",
    "summary": "Flipkart Smart: bins as stock locations, picklists, on-hold SLA",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/flipkart-odoo/flipkart-connector",
    "author": "Flipkart Connector Team",
    "maintainers": ["flipkart-connector-team"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["flipkart_connector", "stock_picking_batch"],
    "data": [],
    "installable": True,
}
