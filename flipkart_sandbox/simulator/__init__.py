"""A stateful simulator of Flipkart's Seller API, standard library only.

Tests, the demo database and the benchmarks talk to it over real HTTP::

    sb = Sandbox(seed=1, shipments=50, listings=100)
    with SandboxServer(sb) as srv:
        client = FlipkartClient(srv.base_url, ...)

or mount ``sb.wsgi_app`` in any WSGI server. It follows the documented
shapes of flipkart-api.md, not what is convenient for the connector.

Orders move on through Python calls (``sb.hold``, ``sb.cancel_items``,
``sb.set_status``, ...) or Flipkart's sandbox helper endpoints; each change
emits the matching push notification, kept in ``sb.notifications`` and,
after ``sb.notify_to(url, ...)``, POSTed signed to a receiver.

Fulfilment follows the documented flows: pack (``POST labels``), labels
ready ``sb.label_delay`` seconds later (PACKED, or FORM_FAILED after
``sb.fail_forms``), labels/invoices/manifest PDFs, ready to dispatch,
handover counts, form acknowledgements, self-ship dispatch/delivery and
service completion (see :mod:`.fulfilment` and :mod:`.selfship`).

Returns (:mod:`.returns`): ``sb.create_return`` and the other return
methods or the ``returns/sandbox`` helpers raise and move them, with their
``return_*`` notifications; ``GET /v2/returns`` lists them 25 a page and
self-ship sellers approve, reject, pick up, complete or cancel them.
"""

from .app import Sandbox
from .faults import Faults
from .lifecycle import ShipmentError
from .returns import ReturnError
from .server import SandboxServer

__all__ = ["Faults", "ReturnError", "Sandbox", "SandboxServer", "ShipmentError"]
