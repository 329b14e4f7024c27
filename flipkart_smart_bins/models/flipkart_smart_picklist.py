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

import hashlib
import json
import uuid

import psycopg2

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

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
    def _release(self, batches, again=False):
        """Release a picklist for each batch without one (picklist endpoints
        only: by hand, the id comes from the Smart panel). ``again``: a
        release Flipkart refused for the same orders is sent once more (the
        user fixed the cause); otherwise its refusal stands."""
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
            shipment_ids = sorted(pickings.mapped("flipkart_shipment_id"))
            payload = {
                "batchId": batch.id,
                "locationId": location.flipkart_location_id,
                "shipmentIds": shipment_ids,
            }
            # One release per batch and set of orders: another pack run, a
            # second click or a retry finds the event and never releases twice.
            digest = hashlib.sha256(",".join(shipment_ids).encode()).hexdigest()
            key = f"smart_picklist_release:{batch.id}:{digest[:16]}"
            event = self._send(batch, "smart_picklist_release", payload, key)
            if again and event.state == "error":
                event.action_retry()
                if event.state == "error":
                    batch.flipkart_picklist_message = event.last_error

    @api.model
    def _hand_over(self, batch, pickings):
        """Mark the batch's packed shipments dispatched on Flipkart, once."""
        if not batch.flipkart_picklist_id:
            raise UserError(
                self.env._(
                    "Batch %(batch)s has no Flipkart picklist.", batch=batch.name
                )
            )
        if batch.flipkart_account_id.smart_picklist_release != "endpoints":
            self.env["flipkart.fulfilment"]._ready_to_dispatch(pickings)
            return
        picklist = self._read(batch)
        if picklist is None:
            return
        if picklist.status == CONFIRMED:
            # Handed over already (a retry, or from the Smart panel).
            self._mark_dispatched(batch, picklist)
            return
        held = pickings.filtered("flipkart_hold")
        if held:
            batch.flipkart_picklist_message = self.env._(
                "On hold at Flipkart, not to be handed over: %(names)s.",
                names=", ".join(held.mapped("name")),
            )
            return
        payload = {"batchId": batch.id, "picklistId": picklist.picklist_id}
        if picklist.status == RELEASED:
            event = self._send(
                batch, "smart_picklist_pack", dict(payload, action="pack")
            )
            if event.state != "done":
                return
        self._send(batch, "smart_picklist_confirm", dict(payload, action="confirm"))

    @api.model
    def _read(self, batch):
        """The batch's picklist as Flipkart has it, when it is this batch's;
        else None, with the reason on the batch."""
        account = batch.flipkart_account_id
        if not ep.SMART_PICKLIST_ID.fullmatch(batch.flipkart_picklist_id):
            batch.flipkart_picklist_message = self.env._(
                "%(id)s is not a picklist id the picklist endpoints know: "
                "letters, digits, - and _ only.",
                id=batch.flipkart_picklist_id,
            )
            return None
        try:
            picklist = account._flipkart_client().get_picklist(
                batch.flipkart_picklist_id
            )
        except flipkart.FlipkartError as err:
            batch.flipkart_picklist_message = account._explain_error(err)
            return None
        strangers = set(picklist.shipments) - set(
            batch.picking_ids.mapped("flipkart_shipment_id")
        )
        if strangers:
            batch.flipkart_picklist_message = self.env._(
                "Flipkart's picklist %(id)s holds shipments that are not in this "
                "batch (%(ids)s): check the picklist id.",
                id=picklist.picklist_id,
                ids=", ".join(sorted(strangers)),
            )
            return None
        return picklist

    # Sending and applying ---------------------------------------------------

    @api.model
    def _send(self, batch, kind, payload, key=None):
        key = key or f"{kind}:{batch.id}:{uuid.uuid4().hex}"
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
        batch = self._batch(event)
        if not picklist or not batch:
            return
        try:
            # Flipkart released it: a failed write must not lose the event.
            with self.env.cr.savepoint():
                batch.write(
                    {
                        "flipkart_picklist_id": picklist.picklist_id,
                        "flipkart_picklist_message": False,
                    }
                )
                batch.flush_recordset()
        except (psycopg2.IntegrityError, ValidationError) as err:
            event._fail(
                self.env._(
                    "Flipkart released picklist %(id)s, which could not be put "
                    "on %(batch)s: %(error)s",
                    id=picklist.picklist_id,
                    batch=batch.name,
                    error=err,
                )
            )
            batch.flipkart_picklist_message = event.last_error

    @api.model
    def _after_confirm(self, event):
        picklist = self._answer(event)
        batch = self._batch(event)
        if picklist and batch:
            self._mark_dispatched(batch, picklist)

    @api.model
    def _answer(self, event):
        if event.state != "done" or not event.result:
            return None
        return flipkart.SmartPicklist.from_json(json.loads(event.result))

    @api.model
    def _batch(self, event):
        batch_id = event._payload()["batchId"]
        return self.env["stock.picking.batch"].browse(batch_id).exists()

    @api.model
    def _mark_dispatched(self, batch, picklist):
        dispatched = {
            sid
            for sid, state in picklist.shipments.items()
            if state == "READY_TO_DISPATCH"
        }
        # Flipkart is ahead of Odoo here: it dispatched them in this call.
        batch.picking_ids.filtered(
            lambda p: (
                p.flipkart_shipment_id in dispatched
                and p.flipkart_state not in ("READY_TO_DISPATCH", *const.HANDED_OVER)
            )
        ).write({"flipkart_state": "READY_TO_DISPATCH"})
        batch.flipkart_picklist_message = False
