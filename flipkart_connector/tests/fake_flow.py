"""A flow another addon could add: its own event kinds, nothing else.

Loaded by the tests with odoo-test-helper's FakeModelLoader; never shipped.
"""

from odoo import api, fields, models

from ..flipkart import mapping
from ..utils import item_outcomes


class FlipkartTestFlow(models.Model):
    _name = "flipkart.test.flow"
    _description = "Flipkart test flow"

    # One outbound kind (sent, its answer applied) and one inbound kind.
    _flipkart_event_kinds = {
        "test_price_stamp": {"send": "_send_stamp", "apply": "_after_stamp"},
        "test_ping": {"process": "_process_pings"},
    }

    name = fields.Char()
    outcome = fields.Char()
    pings = fields.Integer()

    @api.model
    def _send_stamp(self, client, payload):
        return item_outcomes(
            client.update_price(
                {payload["sku"]: mapping.price_payload(payload["fsn"], 500, 450)}
            )
        )

    @api.model
    def _after_stamp(self, event):
        record = self.browse(event.res_id)
        record.outcome = f"{event.state}:{event.attempts}"

    @api.model
    def _process_pings(self, events):
        for event in events:
            # A body of a shape nobody expected raises here.
            self.browse(int(event._payload()["flow"])).pings += 1
        events.write({"state": "done"})
