"""Pack, labels, invoices, forms, ready-to-dispatch, handover counts and
manifests (flipkart-api.md §2): the endpoints of shipments Flipkart's courier
picks up. The rules live in :mod:`.fulfilment`.

Batch actions answer 200 with one ``{shipmentId, status, errorCode,
errorMessage}`` per shipment (fixtures 05, 06); documents are PDFs. A
document asked for shipments whose labels do not exist yet is a 400 with
INVALID_SHIPMENTS naming them.
"""

import random
from copy import deepcopy
from datetime import datetime, time
from functools import partial

from .actions import batch, per_shipment
from .constants import (
    INVALID_SHIPMENTS,
    IST,
    LABEL_ONLY_MAX,
    OPERATION_NOT_ALLOWED,
    PACKED_OR_LATER,
    PICKUP_HOURS,
    SHIPMENT_IDS_MAX,
    UNPROCESSABLE_ENTITY,
)
from .documents import invoice_page, label_page, manifest_pages, smart_document_page
from .fulfilment import ist_day
from .lifecycle import is_smart, shipment_status
from .pdf import pdf_document
from .times import iso
from .web import ApiError, Response, date_param, invalid, parse_id_list

# States in which a shipment's labels and invoice exist.
LABELLED_STATES = frozenset(PACKED_OR_LATER) | {"COMPLETED"}
FORM_FIELDS = ("name", "link", "automated", "status")


def pdf_response(pages, content_type="application/pdf"):
    return Response(200, pdf_document(pages), content_type=content_type)


def _labelled(sb, ids):
    """The shipments of ``ids``, all with labels, or a 400 naming the others."""
    unknown = [sid for sid in ids if sid not in sb.shipments]
    if unknown:
        raise ApiError(
            400, INVALID_SHIPMENTS, f"Unknown shipment(s): {', '.join(unknown)}"
        )
    states = {sid: shipment_status(sb.shipments[sid]) for sid in ids}
    generating = [sid for sid, s in states.items() if s == "PACKING_IN_PROGRESS"]
    unpacked = [
        f"{sid} ({s})"
        for sid, s in states.items()
        if s not in LABELLED_STATES and s != "PACKING_IN_PROGRESS"
    ]
    problems = []
    if generating:
        problems.append(f"labels are still being generated for {', '.join(generating)}")
    if unpacked:
        problems.append(f"not packed: {', '.join(unpacked)}")
    if problems:
        raise ApiError(400, INVALID_SHIPMENTS, "; ".join(problems))
    return [sb.shipments[sid] for sid in ids]


# ---------------------------------------------------------------- packing


def pack(sb, req):
    """POST /sellers/v3/shipments/labels: pack and generate labels (async)."""
    entries = batch(req.json_object(), "shipments", dict)
    return per_shipment(
        (entry.get("shipmentId"), partial(sb.pack, entry)) for entry in entries
    )


def labels(sb, req, ids):
    """GET /sellers/v3/shipments/{ids}/labels: one PDF, per shipment a label
    page and an invoice page (a Smart shipment: one page holding both)."""
    wanted = parse_id_list(ids, SHIPMENT_IDS_MAX, "shipmentIds")
    with sb.lock:
        labelled = _labelled(sb, wanted)
        if any(sb.clock() < sb.packed_at.get(sid, 0) + sb.label_lag for sid in wanted):
            # 2GUD's "Pack Label Not Found" (seed 000): PACKED, label not yet.
            raise ApiError(400, INVALID_SHIPMENTS, "Invalid shipment Ids passed")
        pages = []
        for shipment in labelled:
            invoice = sb.invoice_for(shipment["shipmentId"])
            if is_smart(shipment):
                pages.append(smart_document_page(sb, shipment, invoice))
            else:
                pages += [label_page(sb, shipment), invoice_page(sb, shipment, invoice)]
    return pdf_response(pages)


def _reprint(req):
    """``reprint`` from the query string or the JSON body (default false)."""
    if "reprint" in req.query:
        value = req.query["reprint"].lower()
        if value not in ("true", "false"):
            raise invalid("reprint must be true or false")
        return value == "true"
    if not req.body.strip():
        return False
    value = req.json_object().get("reprint", False)
    if not isinstance(value, bool):
        raise invalid("reprint must be true or false")
    return value


def _label_only(sb, req, ids, content_type):
    wanted = parse_id_list(ids, LABEL_ONLY_MAX, "shipmentIds")
    reprint = _reprint(req)
    with sb.lock:
        pages = [label_page(sb, s, reprint) for s in _labelled(sb, wanted)]
    return pdf_response(pages, content_type)


def label_only_pdf(sb, req, ids):
    """POST /sellers/v3/shipments/{ids}/labelOnly/pdf (reprint)."""
    return _label_only(sb, req, ids, "application/pdf")


def label_only(sb, req, ids):
    """POST /sellers/v3/shipments/{ids}/labelOnly: the same bytes as
    application/octet-stream."""
    return _label_only(sb, req, ids, "application/octet-stream")


def invoices(sb, req, ids):
    """GET /sellers/v3/shipments/{ids}/invoices: JSON, or a PDF when the
    request accepts application/pdf."""
    wanted = parse_id_list(ids, SHIPMENT_IDS_MAX, "shipmentIds")
    with sb.lock:
        shipments = _labelled(sb, wanted)
        found = [deepcopy(sb.invoice_for(s["shipmentId"])) for s in shipments]
        if "application/pdf" in req.header("Accept"):
            return pdf_response(
                [invoice_page(sb, s, i) for s, i in zip(shipments, found, strict=True)]
            )
    return {"invoices": found}


# ------------------------------------------------------------------ forms


def forms(sb, req, ids):
    """GET or POST /sellers/v3/shipments/{ids}/forms (unknown ids skipped)."""
    wanted = parse_id_list(ids, SHIPMENT_IDS_MAX, "shipmentIds")
    with sb.lock:
        rows = [
            {
                "shipmentId": sid,
                "forms": [
                    {key: form.get(key) for key in FORM_FIELDS}
                    for form in sb.shipments[sid].get("forms") or ()
                ],
            }
            for sid in wanted
            if sid in sb.shipments
        ]
    return {"shipments": rows}


def update_ack(sb, req):
    """POST /sellers/v3/shipments/forms/updateAck."""
    entries = batch(req.json_object(), "shipments", dict)
    return per_shipment(
        (entry.get("shipmentId"), partial(sb.acknowledge_forms, entry))
        for entry in entries
    )


# --------------------------------------------------------------- dispatch


def dispatch(sb, req):
    """POST /sellers/v3/shipments/dispatch {shipmentIds, locationId}: RTD."""
    body = req.json_object()
    ids = batch(body, "shipmentIds", str)
    location = body.get("locationId")
    if not isinstance(location, str) or not location:
        raise invalid("locationId is required")
    return per_shipment(
        (sid, partial(sb.ready_to_dispatch, sid, location)) for sid in ids
    )


def _seller_location(sb, location):
    if location not in sb.locations:
        raise ApiError(
            403,
            OPERATION_NOT_ALLOWED,
            f"Location {location} does not belong to seller {sb.seller_id}",
        )


def pickup_window(now):
    """Today's pickup slot, 10:00 to 18:00 IST (the sandbox's choice)."""
    day = ist_day(now)
    start, end = (
        datetime.combine(day, time(hour), IST).timestamp() for hour in PICKUP_HOURS
    )
    return {"from": iso(start), "to": iso(end)}


def _otc(sb, location, group, now):
    """The one-time code the courier's agent asks for: stable per day."""
    key = f"otc:{sb.seed}:{location}:{group}:{ist_day(now).isoformat()}"
    return {"code": f"{random.Random(key).randrange(10**6):06d}", "error_code": None}


def handover_counts(sb, req):
    """GET /sellers/v3/shipments/handover/counts?locationId=: RTD shipments
    per courier vendor group (fixture 09)."""
    location = req.query.get("locationId")
    if not location:
        raise invalid("locationId is required")
    _seller_location(sb, location)
    now = sb.clock()
    groups = sb.handover_groups(location)
    return [
        {
            "vendorGroupCode": code,
            "count": len(shipments),
            "isMps": mps,
            "pickUpDate": pickup_window(now),
            "otc": _otc(sb, location, code, now),
        }
        for (code, mps), shipments in sorted(groups.items())
    ]


def _manifest_params(sb, body):
    params = body.get("params")
    if not isinstance(params, dict):
        raise invalid("params is required")
    code = params.get("vendorGroupCode")
    if not isinstance(code, str) or not code:
        raise invalid("params.vendorGroupCode is required")
    location = params.get("locationId")
    if location is not None:
        _seller_location(sb, location)
    mps = params.get("isMps", params.get("is_mps"))
    if mps is not None and not isinstance(mps, bool):
        raise invalid("params.is_mps must be true or false")
    pickup = params.get("pickupDate")
    if pickup is not None or mps:
        if (
            not isinstance(pickup, dict)
            or not pickup.get("from")
            or not pickup.get("to")
        ):
            raise invalid("params.pickupDate {from, to} is required for mps manifests")
        for end in ("from", "to"):
            date_param(pickup[end], f"params.pickupDate.{end}")
        pickup = (pickup["from"], pickup["to"])
    return code, location, mps, pickup


def manifest(sb, req):
    """POST /sellers/v3/shipments/manifest: the handover sheet (PDF) of the
    READY_TO_DISPATCH shipments of one vendor group; kept in
    ``sb.manifests``."""
    code, location, mps, pickup = _manifest_params(sb, req.json_object())
    with sb.lock:
        shipments = sorted(
            (
                shipment
                for (group, is_mps), found in sb.handover_groups(location).items()
                if group == code and (mps is None or is_mps == mps)
                for shipment in found
            ),
            key=lambda s: (s["locationId"], s["dispatchByDate"], s["shipmentId"]),
        )
        if not shipments:
            raise ApiError(
                400,
                UNPROCESSABLE_ENTITY,
                f"No READY_TO_DISPATCH shipments of vendor group {code} at "
                f"{location or 'any location'}: nothing to hand over",
            )
        pages = manifest_pages(sb, code, location or "all", shipments, pickup)
        sb.manifests.append(
            {
                "vendorGroupCode": code,
                "locationId": location,
                "shipmentIds": [s["shipmentId"] for s in shipments],
                "createdAt": iso(sb.clock()),
            }
        )
    return pdf_response(pages)
