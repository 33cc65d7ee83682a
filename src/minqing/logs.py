"""One log file in the data folder; tracebacks go there, never to the user.

Nothing personal is written into it: a database error can quote the row it refused
("Key (id_number)=(110105…) already exists"), so every line, traceback included, has ID
numbers and phone numbers masked on the way to the file.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from minqing import paths

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?\d{3,4}(\d{4})(?!\d)")


def mask_personal(text: str) -> str:
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _LANDLINE.sub(r"\1-****\2", text)


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_personal(super().format(record))


def log_file() -> Path:
    return paths.log_path()


def setup_logging(level: int = logging.INFO) -> None:
    """Idempotent; follows the data folder if it moved (MINQING_HOME in tests)."""
    root = logging.getLogger("minqing")
    root.setLevel(level)
    target = str(log_file())
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            if handler.baseFilename == target:
                return
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
