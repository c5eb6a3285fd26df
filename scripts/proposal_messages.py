"""Extract the proposal's frame text and update ``templates/locales/<lang>/LC_MESSAGES/proposal.po``.

Usage: ``python scripts/proposal_messages.py [--check]``. English is the message id. Existing translations are
kept; new messages are added with an empty translation (English shows until someone translates them);
messages no longer used are dropped. ``--check`` exits 1 if a catalog's set of message ids differs from the extracted one; it compares parsed
messages, never bytes, so a newer Babel or a new year in the header cannot make it fail (a test runs it).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core import explain  # noqa: E402
from app.core.proposal_money import BASIS_WORDS, SCOPE_WORDS  # noqa: E402
from app.core.proposal_text import KINDS, UNIT_WORDS  # noqa: E402
from app.core.vocab import INCOME_GROUPS, PROJECT_TYPES  # noqa: E402

LOCALES = ROOT / "templates" / "locales"
LANGS = ("ko", "vi", "id", "es")
PY_FILES = ("app/core/proposal_build.py", "app/core/proposal_text.py", "app/core/proposal_money.py", "app/adapters/render.py",
            "app/adapters/charts.py")


def dynamic_messages() -> list[str]:
    """Messages passed to gettext through a variable: vocabulary shown in the proposal."""
    from app.core.proposal_build import CHAPTERS
    from app.core.proposal_text import NOTICE_EN, TITLE_EN, glossary

    words = [*KINDS.values(), *INCOME_GROUPS, "not classified", *(p.replace("_", " ") for p in PROJECT_TYPES)]
    words += [*explain.LABELS.values(), *explain.MESSAGES.values(), *explain.WHY.values()]
    words += ["high", "medium", "low", *BASIS_WORDS.values(), *SCOPE_WORDS.values()]
    words += [w for pair in UNIT_WORDS.values() for w in pair]
    words += ["East Asia & Pacific", "Europe & Central Asia", "Latin America & Caribbean", "Middle East & North Africa",
              "North America", "South Asia", "Sub-Saharan Africa", "Middle East, North Africa, Afghanistan & Pakistan"]
    words += [t.definition for t in glossary(lambda s: s)]
    words += [title for _a, _n, title in CHAPTERS] + [TITLE_EN, NOTICE_EN]
    return words


def extract() -> list[str]:
    found: dict[str, None] = {}
    method = [("**.html", "jinja2.ext:babel_extract")]
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        ROOT / "templates" / "proposal", method_map=method, options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        if isinstance(message, str):
            found[message] = None
    for rel in PY_FILES:
        for _line, message, _comments, _ctx in extract_from_file("python", ROOT / rel, keywords={"_": None, "gettext": None}):
            if isinstance(message, str):
                found[message] = None
    for message in dynamic_messages():
        found[message] = None
    return list(found)


def _read(path: Path) -> dict[str, str]:
    """``{msgid: msgstr}`` of a ``.po`` file (empty when it does not exist): its meaning, whatever its header says."""
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        return {str(m.id): str(m.string) for m in read_po(fh) if m.id}


def update(lang: str, messages: list[str], locales: Path = LOCALES, now: dt.datetime | None = None) -> bytes:
    """The ``.po`` text for ``lang``: the messages in order, existing translations kept, new ones empty."""
    old = _read(locales / lang / "LC_MESSAGES" / "proposal.po")
    cat = Catalog(locale=lang, project="kcity-configurator proposal", version="1", charset="utf-8",
                  creation_date=now, revision_date=now)
    for message in messages:
        cat.add(message, old.get(message, ""))
    buf = io.BytesIO()
    write_po(buf, cat, width=0, omit_header=False, sort_output=False, no_location=True)
    return b"\n".join(line for line in buf.getvalue().split(b"\n") if not line.startswith((b"\"POT-Creation-Date", b"\"PO-Revision-Date")))


def stale(messages: list[str], locales: Path = LOCALES) -> list[Path]:
    """The catalogs whose set of message ids differs from ``messages`` (headers, order and Babel version do not count)."""
    wanted = set(messages)
    paths = [locales / lang / "LC_MESSAGES" / "proposal.po" for lang in LANGS]
    return [path for path in paths if not path.exists() or set(_read(path)) != wanted]


def main(argv: list[str]) -> int:
    messages = extract()
    if "--check" in argv:
        out_of_date = stale(messages)
        for path in out_of_date:
            print(f"{path}: out of date; run python scripts/proposal_messages.py", file=sys.stderr)
        return 1 if out_of_date else 0
    for lang in LANGS:
        path = LOCALES / lang / "LC_MESSAGES" / "proposal.po"
        text = update(lang, messages)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
        print(f"{path}: {len(messages)} messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
