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
