"""gunicorn's configuration for Samplan in production:

    gunicorn -c python:samplan.gunicorn_conf samplan.wsgi

Its access log masks anything CPR-shaped (``core/logmask.py``): the API searches by CPR
through POST, so no CPR number should be in a URL, but a client that puts one in a query
string anyway must not leave it in the server's logs. The error log masks it too."""

import os

from gunicorn.glogging import Logger

from samplan.core.logmask import MaskCprFilter, mask_cpr_shaped

bind = os.environ.get("SAMPLAN_BIND", "0.0.0.0:8000")  # noqa: S104 (behind the reverse proxy)
workers = int(os.environ.get("SAMPLAN_WORKERS", "2"))
accesslog = os.environ.get("SAMPLAN_ACCESS_LOG", "-")
errorlog = os.environ.get("SAMPLAN_ERROR_LOG", "-")
# The client's X-Request-ID (as kept or replaced by the app) ties a line to its audit rows.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'


class MaskingLogger(Logger):
    """gunicorn's logger with every access-log atom (request line, query string, path,
    referrer, headers, environ) and every error-log record masked."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(MaskCprFilter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_cpr_shaped(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = MaskingLogger
