# Fixtures of the processing tests (motcua.services.transitions and the pages after intake).
from .fixtures_processing import world  # noqa: F401
