"""Korean particles follow the final sound of the word before them."""

from __future__ import annotations

import pytest

from app.core.korean import attach_particles


@pytest.mark.parametrize(("text", "expected"), [
    ("광통신 백본망이(가) 필요", "광통신 백본망이 필요"),
    ("GIS 기본도이(가) 필요", "GIS 기본도가 필요"),
    ("Haiphong People's Committee은(는) 요청", "Haiphong People's Committee는 요청"),
    ("서울은(는)", "서울은"), ("부산은(는)", "부산은"), ("대구을(를)", "대구를"),
    ("ITS을(를) 구축", "ITS를 구축"), ("IoT 통신망과(와)", "IoT 통신망과"), ("KOICA과(와)", "KOICA와"),
    ("HTML은(는)", "HTML은"), ("ADB이(가)", "ADB가"), ("(IOC)이(가)", "(IOC)가"),
    ("<strong>서울시</strong>은(는)", "<strong>서울시</strong>는"),
    ("3개월(으)로", "3개월로"), ("서울(으)로", "서울로"), ("부산(으)로", "부산으로"), ("2027년(으)로", "2027년으로"),
    ("10은(는)", "10은"), ("2이(가)", "2가"), ("Hanoi은(는)", "Hanoi는"), ("Sejong은(는)", "Sejong은"),
])
def test_the_particle_follows_the_final_sound(text, expected):
    assert attach_particles(text) == expected


def test_text_without_double_forms_is_unchanged():
    text = "예산 1,000만 달러(USD)는 충분하다 (참고)"
    assert attach_particles(text) == text


def test_korean_words_are_joined_in_text_but_never_inside_tags():
    from app.core.korean import WORD_JOINER, keep_words

    html = '<p title="가능성">가능성을 본다 <b>서울</b> A</p>'
    out = keep_words(html)
    assert out == f'<p title="가능성">가{WORD_JOINER}능{WORD_JOINER}성{WORD_JOINER}을 본{WORD_JOINER}다 <b>서{WORD_JOINER}울</b> A</p>'
    assert out.replace(WORD_JOINER, "") == html


def test_numbers_and_latin_words_stay_with_their_particle_and_entities_stay_whole():
    from app.core.korean import WORD_JOINER, keep_words

    assert keep_words("79.9%로 상승") == WORD_JOINER.join("79.9%로") + " " + WORD_JOINER.join("상승")
    assert keep_words("CCTV&amp;망 People&#39;s") .replace(WORD_JOINER, "") == "CCTV&amp;망 People&#39;s"
    assert "&amp;" in keep_words("CCTV&amp;망") and "&#39;" in keep_words("기관&#39;s")


def test_a_parenthesis_is_looked_through_to_the_word_it_explains():
    assert attach_particles("영상분석(선별관제)은(는)") == "영상분석(선별관제)은"
    assert attach_particles("드론(수색·화재)은(는)") == "드론(수색·화재)은"
    assert attach_particles("안전망(112·119 연계)이(가)") == "안전망(112·119 연계)이"


def test_the_head_keeps_its_title_as_written():
    from app.core.korean import WORD_JOINER, keep_words

    out = keep_words("<html><head><title>사전컨설팅 제안서</title></head><body><p>사전컨설팅</p></body></html>")
    assert "<title>사전컨설팅 제안서</title>" in out and WORD_JOINER in out.split("<body>")[1]


def test_no_korean_message_fixes_a_particle_after_a_value_it_cannot_know():
    """A placeholder's value is only known at render time (an amount, a name), so the particle after it is written
    in both forms ("{gap}은(는)") and chosen by its final sound; a percentage always reads 퍼센트, so {pct}를 is safe."""
    import re

    from babel.messages.pofile import read_po

    from tests.conftest import ROOT

    # the copula 이다 fits after any sound; 가구 after a number is the counter for households, not the particle 가
    fixed = re.compile(r"\{(\w+)\}(은|는|이(?!다)|가(?!구)|을|를|과|와)(?!\()")
    bad = []
    for po in sorted((ROOT / "templates" / "locales" / "ko" / "LC_MESSAGES").glob("*.po")):
        with open(po, "rb") as fh:
            for message in read_po(fh):
                for name, _particle in fixed.findall(str(message.string or "")):
                    if name != "pct":
                        bad.append(f"{po.name}: {message.string}")
    assert bad == []


def test_a_korean_quantity_names_the_thing_before_its_number_and_counter():
    from app.adapters import render
    from app.i18n import translator
    from tests.conftest import ROOT

    locales = ROOT / "templates" / "locales"
    ko, en = translator("proposal", "ko", locales), translator("proposal", "en", locales)
    assert render.quantity(203, "intersection", "ko", ko) == "교차로 203개소"
    assert render.quantity(945, "sensor", "ko", ko) == "센서 945개"
    assert render.quantity(12.5, "km_road", "ko", ko) == "도로 12.5 km"
    assert render.quantity(203, "intersection", "en", en) == "203 intersections"
    assert render.quantity(1, "camera", "en", en) == "1 camera"
