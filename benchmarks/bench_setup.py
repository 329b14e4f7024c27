"""What the benchmarks share: a scratch database, an Indian seller with its
Flipkart accounts on the sandbox, and the report format."""

import contextlib
import os
import sys

import psycopg2

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def admin_sql(statement, dbname="postgres"):
    """Run a statement that cannot run inside a transaction."""
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    try:
        conn.cursor().execute(statement)
    finally:
        conn.close()


@contextlib.contextmanager
def scratch_database(template):
    """A copy of ``template`` (the connector installed), dropped afterwards,
    with Odoo configured on it; yields (name, registry)."""
    scratch = f"{template}_bench_{os.getpid()}"
    admin_sql(f'CREATE DATABASE "{scratch}" TEMPLATE "{template}"')
    import odoo

    try:
        odoo.tools.config.parse_config(["-d", scratch, f"--addons-path={REPO}"])
        yield scratch, odoo.modules.registry.Registry(scratch)
    finally:
        odoo.sql_db.close_db(scratch)
        admin_sql(f'DROP DATABASE IF EXISTS "{scratch}"')


def environment(cr, company_id=None):
    import odoo

    context = {"tracking_disable": True}
    if company_id:
        context["allowed_company_ids"] = [company_id]
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)


def create_seller(env, sandbox, base_url, accounts):
    """A Karnataka seller with the Indian chart, one warehouse, one Flipkart
    account per ``(name, location)`` and every sandbox SKU mapped (18% GST).

    Returns ``(env for the company, company, warehouse, accounts)``.
    """
    from odoo import Command

    company = env["res.company"].create(
        {
            "name": "Benchmark Seller",
            "country_id": env.ref("base.in").id,
            "state_id": env.ref("base.state_in_ka").id,
        }
    )
    env.user.company_ids |= company
    env["account.chart.template"].try_loading("in", company=company, install_demo=False)
    env = environment(env.cr, company.id)
    warehouse = env["stock.warehouse"].create(
        {"name": "Bengaluru", "code": "BLR", "company_id": company.id}
    )
    warehouse.partner_id.state_id = env.ref("base.state_in_ka")
    records = env["flipkart.account"].create(
        [
            {
                "name": name,
                "company_id": company.id,
                "environment": "sandbox",
                "api_base_url": base_url,
                "app_id": f"{name}-app",
                "app_secret": f"{name}-secret",
                "location_ids": [
                    Command.create(
                        {"flipkart_location_id": location, "warehouse_id": warehouse.id}
                    )
                ],
            }
            for name, location in accounts
        ]
    )
    products = env["product.product"].create(
        [{"name": sku, "is_storable": True} for sku in sandbox.listings]
    )
    env["flipkart.listing"].create(
        [
            {
                "account_id": account.id,
                "seller_sku": sku,
                "fsn": sandbox.listings[sku]["product_id"],
                "product_id": product.id,
                "tax_rate": 18.0,
            }
            for account in records
            for sku, product in zip(sandbox.listings, products, strict=True)
        ]
    )
    # The GST twins the import uses exist before any measurement (one made
    # inside a rolled-back measurement would vanish).
    Import = env["flipkart.shipment.import"]
    for prefix in ("sgst", "igst"):
        Import._included_variant(env.ref(f"account.{company.id}_{prefix}_sale_18"))
    return env, company, warehouse, records


def report(rows):
    """A report for a person: plain lines on standard output."""
    sys.stdout.write("".join(f"{name + ':':<32}{value}\n" for name, value in rows))
