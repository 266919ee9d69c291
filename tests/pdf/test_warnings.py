"""WeasyPrint's warnings collected, not printed (pdf/warnings.py)."""

from __future__ import annotations

import logging

from guidebook.pdf.warnings import collect_warnings


def test_warnings_are_collected_inside_and_nothing_is_kept_after(caplog):
    logger = logging.getLogger("weasyprint")
    propagate, handlers = logger.propagate, list(logger.handlers)
    with caplog.at_level(logging.INFO), collect_warnings() as warnings:
        logger.warning("Ignored `colr: red` at 1:5, unknown property.")
        logger.info("Step 4 - Creating layout - Page 1")  # below a warning: not kept
        logging.getLogger("weasyprint.progress").error("a child logger's error")
    assert warnings == ["Ignored `colr: red` at 1:5, unknown property.", "a child logger's error"]
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]  # not on stderr
    assert (logger.propagate, logger.handlers) == (propagate, handlers)
    logger.warning("after the block")
    assert warnings == ["Ignored `colr: red` at 1:5, unknown property.", "a child logger's error"]
