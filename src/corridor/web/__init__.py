"""The analyst workbench: server-rendered pages over the lists, the trade screening and the
case work (``corridor.cases``), served by ``corridor serve`` beside the API at ``/ui/``.

``ROUTERS`` and ``EXCEPTION_HANDLERS`` are what the server composes into its app: this
package may not import the API (nor the API this one), so the layer above both does it. The
pages read the loaded lists from the app's index holder (``corridor.screening.serving``),
the one the API answers from.
"""

from corridor.web.errors import EXCEPTION_HANDLERS
from corridor.web.pages import (
    alerts,
    audit,
    auth,
    dashboard,
    entities,
    screen,
    search,
    static,
    suppressions,
    users,
)
from corridor.web.render import PREFIX

ROUTERS = (
    auth.router,
    search.router,
    entities.router,
    screen.router,
    alerts.router,
    suppressions.router,
    audit.router,
    dashboard.router,
    users.router,
    static.router,
)

__all__ = ["EXCEPTION_HANDLERS", "PREFIX", "ROUTERS"]
