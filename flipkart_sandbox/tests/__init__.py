from . import test_mount
