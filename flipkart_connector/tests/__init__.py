from . import test_account
from . import test_connection
from . import test_token_lifecycle
from . import test_security
from . import test_event
from . import test_setup_wizard
from . import test_notification_route
