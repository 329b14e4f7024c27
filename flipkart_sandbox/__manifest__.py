{
    "name": "Flipkart Sandbox (demo and tests)",
    "summary": "The project's Flipkart simulator, served by Odoo, and a demo seller",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/flipkart-odoo/flipkart-connector",
    "author": "Flipkart Connector Team",
    "maintainers": ["flipkart-connector-team"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["flipkart_connector", "flipkart_smart_bins"],
    "data": [],
    "demo": [
        "demo/product_product_demo.xml",
        "demo/flipkart_sandbox_demo.xml",
        "demo/flipkart_smart_demo.xml",
    ],
    "installable": True,
}
