"""Extract the catalog's texts that a partner-language proposal prints and update their translations in
``templates/locales/<lang>/LC_MESSAGES/catalog.po`` for the languages the YAML files do not carry (vi, id, es),
and the indicator units, which the YAML files give in English only, for every language.

Usage: ``python scripts/catalog_messages.py [--check]``. The English text is the message id; existing translations
and their comments are kept. A translation is *machine-assisted* unless its entry carries a translator comment
``reviewed-by: NAME YYYY-MM-DD`` (a native reviewer's name and the date of the review); the proposal's
document-control page says which texts still await review. ``--check`` exits 1 when a catalog's set of message ids
differs from the catalog's texts (a test runs it).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOCALES = ROOT / "templates" / "locales"
LANGS = ("ko", "vi", "id", "es")  # Korean: only the indicator units, its texts are in the YAML files
HEADER = ("Catalog texts (modules, needs, packages, financing channels, indicators) in {lang}. Machine-assisted "
          "translations unless an entry says 'reviewed-by: NAME DATE'.")


def extract(lang: str, catalog_dir: Path = ROOT / "catalog") -> list[str]:
    """The English texts of the catalog that have no ``lang`` version in the YAML files, in catalog order."""
    from app import services
    from app.core.stats import localized_texts, units

    catalog = services.load_catalog(catalog_dir)
    found: dict[str, None] = {t.en: None for t in localized_texts(catalog) if not t.has(lang)}
    for unit in units(catalog):  # plain English strings in the YAML files, printed beside the indicators
        found[unit] = None
    return list(found)


def _path(lang: str, locales: Path = LOCALES) -> Path:
    return locales / lang / "LC_MESSAGES" / "catalog.po"


def update(lang: str, messages: list[str], locales: Path = LOCALES) -> bytes:
    old = {}
    if _path(lang, locales).exists():
        with open(_path(lang, locales), "rb") as fh:
            old = {m.id: m for m in read_po(fh) if m.id}
    cat = Catalog(locale=lang, project="kcity-configurator catalog", version="1", charset="utf-8",
                  header_comment="# " + HEADER.format(lang=lang))
    for message in messages:
        before = old.get(message)
        cat.add(message, before.string if before else "", user_comments=list(before.user_comments) if before else [])
    buf = io.BytesIO()
    write_po(buf, cat, width=0, omit_header=False, sort_output=False, no_location=True)
    return b"\n".join(line for line in buf.getvalue().split(b"\n") if not line.startswith((b"\"POT-Creation-Date", b"\"PO-Revision-Date")))


def stale(locales: Path = LOCALES) -> list[Path]:
    out = []
    for lang in LANGS:
        path = _path(lang, locales)
        if not path.exists():
            out.append(path)
            continue
        with open(path, "rb") as fh:
            if {m.id for m in read_po(fh) if m.id} != set(extract(lang)):
                out.append(path)
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        for path in (bad := stale()):
            print(f"{path}: out of date; run python scripts/catalog_messages.py", file=sys.stderr)
        return 1 if bad else 0
    for lang in LANGS:
        messages = extract(lang)
        path = _path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(update(lang, messages))
        print(f"{path}: {len(messages)} messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
