"""One router per area; :func:`corridor.api.app.create_app` mounts them (a later ``web``
package mounts its own beside them)."""
