"""Deliveries dispatched before Odoo kept the ready-to-dispatch time.

Their real time is not known: they count as on time (ready at their
dispatch-by date, or when last changed if earlier), never as breaches the
seller did not make. Open deliveries past their date stay breached.
"""

DISPATCHED = (
    "READY_TO_DISPATCH",
    "PICKUP_COMPLETE",
    "SHIPPED",
    "DELIVERED",
    "RETURN_REQUESTED",
    "RETURNED",
    "COMPLETED",
)


def migrate(cr, version):
    cr.execute(
        """
        UPDATE stock_picking
           SET flipkart_rtd_at = LEAST(
                   COALESCE(flipkart_dispatch_by, write_date), write_date)
         WHERE flipkart_shipment_id IS NOT NULL
           AND flipkart_rtd_at IS NULL
           AND flipkart_state IN %s
        """,
        [DISPATCHED],
    )
