"""The admin (base.py says how it writes: through the services). Importing the modules registers
their ModelAdmins, as Django's autodiscovery of `workshops.admin` expects."""

from . import audit, maps, workshops  # noqa: F401
