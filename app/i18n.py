"""Frame text in the partner's language: gettext catalogs (``<templates>/locales/<lang>/LC_MESSAGES/<domain>.po``, ``KCITY_TEMPLATES_DIR``).

The English text is the message id; a language without a translation for a message shows English. The ``.po``
files are read directly with Babel (no compile step), once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from app.settings import Settings

LOCALES_DIR = Settings.from_env().templates_dir / "locales"
UI_LANGUAGES = ("en", "ko")
PROPOSAL_LANGUAGES = ("en", "ko", "vi", "id", "es")
BABEL_LOCALES = {"en": "en_US", "ko": "ko_KR", "vi": "vi_VN", "id": "id_ID", "es": "es_ES"}


@dataclass(frozen=True)
class _Catalog:
    texts: dict[str, str]  # translated, not fuzzy
    reviewed: frozenset[str]  # ids whose entry carries a translator comment "reviewed-by: NAME DATE"


@functools.cache
def _read(domain: str, lang: str, root: Path = LOCALES_DIR) -> _Catalog:
    """One ``.po`` file, read once per process."""
    path = root / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return _Catalog({}, frozenset())
    with open(path, "rb") as fh:
        entries = [m for m in read_po(fh, locale=BABEL_LOCALES.get(lang, lang)) if m.id and m.string and not m.fuzzy]
    return _Catalog(texts={str(m.id): str(m.string) for m in entries},
                    reviewed=frozenset(str(m.id) for m in entries if any(c.strip().startswith("reviewed-by:") for c in m.user_comments)))


def _messages(domain: str, lang: str, root: Path = LOCALES_DIR) -> dict[str, str]:
    return _read(domain, lang, root).texts


def messages(domain: str, lang: str, root: Path = LOCALES_DIR) -> dict[str, str]:
    """``{English: translation}`` of one domain and language (empty for English or without a catalog)."""
    return _messages(domain, lang, root) if lang != "en" else {}


def reviewed(domain: str, lang: str, root: Path = LOCALES_DIR) -> frozenset[str]:
    """The message ids whose translation a native speaker reviewed: a translator comment ``reviewed-by: NAME DATE``."""
    return _read(domain, lang, root).reviewed if lang != "en" else frozenset()


def translator(domain: str, lang: str, root: Path = LOCALES_DIR) -> Callable[[str], str]:
    """``_`` for one domain and language: the translation, or the English message id."""
    table = _messages(domain, lang, root) if lang != "en" else {}

    def gettext(message: str) -> str:
        return table.get(message, message)

    return gettext


def missing(domain: str, lang: str, messages: list[str], root: Path = LOCALES_DIR) -> list[str]:
    """The messages that have no translation in ``lang`` (for completeness tests)."""
    table = _messages(domain, lang, root)
    return [m for m in messages if m not in table]
