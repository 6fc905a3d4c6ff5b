"""No CPR number in a log line: the second line of defence behind "no CPR in a URL".

``mask_cpr_shaped`` replaces anything shaped like a CPR number (six digits, an optional
dash — also URL-encoded as ``%2D`` — and four digits) with ``XXXXXX-XXXX``. It may hit a
number that is not a CPR number; a log line loses little by that, a leaked number a lot.
``MaskCprFilter`` applies it to every log record it sees (settings.LOGGING puts it on the
handlers and on ``django.server``/``django.request``); the gunicorn configuration
(``samplan.gunicorn_conf``) applies it to gunicorn's access and error log."""

import logging
import re

CPR_SHAPED = re.compile(r"\d{6}(?:-|%2[dD])?\d{4}")
MASK = "XXXXXX-XXXX"


def mask_cpr_shaped(text: str) -> str:
    return CPR_SHAPED.sub(MASK, text)


class MaskCprFilter(logging.Filter):
    """Masks CPR-shaped numbers in the message, its arguments and any formatted
    traceback. It never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_cpr_shaped(message)
        if masked != message:
            # The formatted message replaces msg % args, so no argument can bring it back.
            record.msg, record.args = masked, None
        if record.exc_text:
            record.exc_text = mask_cpr_shaped(record.exc_text)
        return True
