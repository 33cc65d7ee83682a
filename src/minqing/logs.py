"""One log file in the data folder; tracebacks go there, never to the user."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from minqing import paths


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
