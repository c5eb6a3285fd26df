"""Every engine reason in every language: one message layer, no placeholder lost or invented in translation."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from app import services
from app.core import explain
from app.core.prefill import as_suggestion, suggest_needs, suggestion_reason
from app.core.recommendation import Reason, Recommendation
from app.i18n import PROPOSAL_LANGUAGES, translator
from tests.conftest import ROOT

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
EXAMPLES = sorted(p for p in (ROOT / "catalog" / "examples").glob("*.yaml") if p.name != "expectations.yaml")


def placeholders(template: str) -> list[str]:
    return sorted(name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None)


def reasons_of(rec: Recommendation) -> list[Reason]:
    out: list[Reason] = [*rec.uncovered, *rec.to_confirm, *(x.reason for x in rec.excluded)]
    for s in rec.ranked:
        out += [a.reason for a in s.adjustments] + list(s.to_confirm) + ([s.blocked] if s.blocked else [])
    for t in rec.tiers:
        out += list(t.added_for.values()) + list(t.risks) + ([t.note] if t.note else [])
    for o in rec.financing:
        out += list(o.reasons)
    return out


@pytest.fixture(scope="module")
def emitted(bundled_catalog) -> dict[str, list[Reason]]:
    """The reasons the engine gives on every public example, by code."""
    found: dict[str, list[Reason]] = {}
    for path in EXAMPLES:
        engagement = services.parse_engagement(yaml.safe_load(Path(path).read_text(encoding="utf-8")), bundled_catalog, str(path))
        for r in reasons_of(services.recommend(bundled_catalog, engagement)):
            found.setdefault(r.code, []).append(r)
        for s in suggest_needs(bundled_catalog.countries[engagement.country], bundled_catalog):  # why needs were suggested
            r = suggestion_reason(as_suggestion(s), bundled_catalog)
            found.setdefault(r.code, []).append(r)
    return found


@pytest.mark.parametrize("lang", PROPOSAL_LANGUAGES)
def test_every_message_keeps_exactly_the_placeholders_of_its_english_text(lang):
    _ = translator("proposal", lang)
    wrong = {code: (english, _(english)) for code, english in {**explain.MESSAGES, **explain.WHY}.items()
             if placeholders(_(english)) != placeholders(english)}
    assert wrong == {}


@pytest.mark.parametrize("lang", [lang for lang in PROPOSAL_LANGUAGES if lang != "en"])
def test_every_engine_message_and_label_is_translated(lang):
    _ = translator("proposal", lang)
    missing = [m for m in [*explain.MESSAGES.values(), *explain.WHY.values(), *explain.LABELS.values()] if _(m) == m]
    assert missing == []


def test_the_engine_gives_each_message_the_parameters_it_names(emitted):
    assert set(emitted) <= set(explain.MESSAGES), "a reason code without a message"
    for code, reasons in emitted.items():
        for r in reasons:
            assert set(placeholders(explain.MESSAGES[code])) <= set(r.params), (code, r.params)


@pytest.mark.parametrize("lang", PROPOSAL_LANGUAGES)
def test_every_reason_the_engine_gives_reads_in_every_language_without_a_raw_placeholder(emitted, bundled_catalog, lang):
    for reasons in emitted.values():
        for r in reasons[:3]:
            text = explain.say(r, lang, bundled_catalog)
            assert "{" not in text and "}" not in text and not CODE.search(text), (r, text)  # no raw code such as local_gov
            if lang == "ko":
                assert "(는)" not in text and "(가)" not in text and "(를)" not in text, text


def test_an_unknown_reason_code_is_an_error_not_a_code_printed_in_a_pdf():
    with pytest.raises(KeyError):
        explain.say(Reason(code="no_such_code", params={}), "en")
