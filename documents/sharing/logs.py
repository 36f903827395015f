"""A share link's token kept out of the logs: whoever reads a log (an operator, a log service, a
backup of it) must not be able to open the map. Every path of a share link is written with the
token's first characters only, the hint its facilitators see on the share page, so that a line
can still be matched to its link.

`HideShareTokens` filters Python's log records (LOGGING in cjm/settings.py: Django's "Not
Found: /share/..." and any traceback's request line); `hide_tokens` serves Daphne's access log
(cjm/serve.py). The referrer is the pages' business: `Referrer-Policy: no-referrer`
(web/share.py). Imports nothing of Django: the server's launcher uses it before the settings."""

import logging
import re

HINT = 6  # links.HINT_LENGTH, which needs the models
SHARE_PATH = re.compile(rf"(/share/[A-Za-z0-9_-]{{0,{HINT}}})[A-Za-z0-9_-]*")


def hide_tokens(text: str) -> str:
    return SHARE_PATH.sub(r"\1…", text)


class HideShareTokens(logging.Filter):
    """Rewrites each record's message with the tokens cut to their hint; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/share/" in message:
            record.msg, record.args = hide_tokens(message), None
        return True
