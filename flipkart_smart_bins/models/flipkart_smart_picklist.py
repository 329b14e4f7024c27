"""Flipkart Smart picklists: how a batch's picklist is released and handed
over, by the account's Picklist Release.

Flipkart publishes no picklist API (flipkart-api.md §7). *Manual*, the
default: the user releases the picklist on Flipkart's Smart panel and scans
its id on the batch; the handover marks the shipments ready to dispatch
through the documented v3 call. *Picklist endpoints*: the batch releases,
packs and confirms its picklist through a Smart proxy of the shape the
sandbox serves (seed 003); confirming is the handover. Every write goes
through the account's outbound gate.
"""

import json
import uuid

from odoo import api, models

from odoo.addons.flipkart_connector import flipkart
from odoo.addons.flipkart_connector.flipkart import const
from odoo.addons.flipkart_connector.flipkart import endpoints as ep

RELEASED, CONFIRMED = "RELEASED", "CONFIRMED"


class FlipkartSmartPicklist(models.AbstractModel):
    _name = "flipkart.smart.picklist"
    _description = "Flipkart Smart Picklist"

    _flipkart_event_kinds = {
        "smart_picklist_release": {"send": "_send_release", "apply": "_after_release"},
        "smart_picklist_pack": {"send": "_send_action"},
        "smart_picklist_confirm": {"send": "_send_action", "apply": "_after_confirm"},
    }

    # Steps, one implementation per Picklist Release -------------------------

    @api.model
    def _release(self, batches):
        """Release a picklist for each batch without one (picklist endpoints
        only: by hand, the id comes from the Smart panel)."""
        for batch in batches.filtered(
            lambda b: (
                not b.flipkart_picklist_id
                and b.flipkart_account_id.smart_picklist_release == "endpoints"
            )
        ):
            pickings = batch._flipkart_smart_open()
            location = pickings.sale_id.flipkart_location_id
            if not pickings or len(location) != 1 or len(pickings) > ep.MAX_PICKLIST:
                batch.flipkart_picklist_message = self.env._(
                    "A picklist is released for 1 to %(max)s open Flipkart Smart "
                    "deliveries of one Flipkart location.",
                    max=ep.MAX_PICKLIST,
                )
                continue
            payload = {
                "batchId": batch.id,
                "locationId": location.flipkart_location_id,
                "shipmentIds": pickings.mapped("flipkart_shipment_id"),
            }
            self._send(batch, "smart_picklist_release", payload)

    @api.model
    def _hand_over(self, batch, pickings):
        """Mark the batch's packed shipments dispatched on Flipkart, once."""
        if batch.flipkart_account_id.smart_picklist_release != "endpoints":
            self.env["flipkart.fulfilment"]._ready_to_dispatch(pickings)
            return
        account = batch.flipkart_account_id
        try:
            picklist = account._flipkart_client().get_picklist(
                batch.flipkart_picklist_id
            )
        except flipkart.FlipkartError as err:
            batch.flipkart_picklist_message = account._explain_error(err)
            return
        if picklist.status == CONFIRMED:
            # Handed over already (a retry, or from the Smart panel).
            self._mark_dispatched(account, picklist)
            return
        payload = {"batchId": batch.id, "picklistId": picklist.picklist_id}
        if picklist.status == RELEASED:
            event = self._send(
                batch, "smart_picklist_pack", dict(payload, action="pack")
            )
            if event.state != "done":
                return
        self._send(batch, "smart_picklist_confirm", dict(payload, action="confirm"))

    # Sending and applying ---------------------------------------------------

    @api.model
    def _send(self, batch, kind, payload):
        key = f"{kind}:{batch.id}:{uuid.uuid4().hex}"
        event = batch.flipkart_account_id._send_outbound(
            kind, key, payload, record=batch
        )
        if event.state == "error":
            batch.flipkart_picklist_message = event.last_error
        return event

    @api.model
    def _send_release(self, client, payload):
        return client.release_picklist(
            payload["locationId"], payload["shipmentIds"]
        ).raw

    @api.model
    def _send_action(self, client, payload):
        return client.picklist_action(payload["action"], payload["picklistId"]).raw

    @api.model
    def _after_release(self, event):
        picklist = self._answer(event)
        if picklist:
            batch = self.env["stock.picking.batch"].browse(event._payload()["batchId"])
            batch.write(
                {
                    "flipkart_picklist_id": picklist.picklist_id,
                    "flipkart_picklist_message": False,
                }
            )

    @api.model
    def _after_confirm(self, event):
        picklist = self._answer(event)
        if picklist:
            self._mark_dispatched(event.account_id, picklist)

    @api.model
    def _answer(self, event):
        if event.state != "done" or not event.result:
            return None
        return flipkart.SmartPicklist.from_json(json.loads(event.result))

    @api.model
    def _mark_dispatched(self, account, picklist):
        dispatched = [
            sid
            for sid, state in picklist.shipments.items()
            if state == "READY_TO_DISPATCH"
        ]
        pickings = self.env["flipkart.fulfilment"]._pickings(account, dispatched)
        # Flipkart is ahead of Odoo here: it dispatched them in this call.
        pickings.filtered(
            lambda p: p.flipkart_state not in ("READY_TO_DISPATCH", *const.HANDED_OVER)
        ).write({"flipkart_state": "READY_TO_DISPATCH"})
        pickings.batch_id.flipkart_picklist_message = False
