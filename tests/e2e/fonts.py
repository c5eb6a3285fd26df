"""Fontconfig for screenshots in headless chromium: the system fonts plus the project's bundled NanumGothic, so that
Hangul renders. Standard library only: the screenshot tool (scripts/screenshot_wizard.py) imports it without the
test suite's fixtures."""

from __future__ import annotations

from pathlib import Path

FONTS = Path(__file__).resolve().parents[2] / "templates" / "assets" / "fonts"


def fontconfig(folder: Path) -> Path:
    """Write ``fonts.conf`` (with its cache) into ``folder``; its path, for ``FONTCONFIG_FILE``."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS}</dir>\n  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return conf
