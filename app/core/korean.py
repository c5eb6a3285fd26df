"""Korean particles chosen by the final sound of the word before them, instead of "은(는)" written for both.

Messages are written with both forms (``{partner}은(는)``) because the word is only known when the message is
formatted; :func:`attach_particles` then picks the form. The final sound comes from the last syllable's final
consonant (받침) for Hangul, from the Korean reading for digits (일, 삼, 육, 칠, 팔, 영 end in a consonant) and from
the letter's Korean name for a final capital (엘, 엠, 엔, 알), and from l, m, n, ng for a lower-case Latin word.
Markup (``<strong>…</strong>``), closing brackets and quotes between the word and the particle are looked through.
"""

from __future__ import annotations

import re

# consonant-final form, vowel-final form, as written in messages
PAIRS: dict[str, tuple[str, str]] = {
    "은(는)": ("은", "는"), "는(은)": ("은", "는"),
    "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "을(를)": ("을", "를"), "를(을)": ("을", "를"),
    "과(와)": ("과", "와"), "와(과)": ("과", "와"),
    "아(야)": ("아", "야"),
    "(으)로": ("으로", "로"), "으로(로)": ("으로", "로"),
}
PATTERN = re.compile("|".join(re.escape(p) for p in sorted(PAIRS, key=len, reverse=True)))
DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True, "8": True, "9": False}
DIGIT_RIEUL = {"1", "7", "8"}  # 일, 칠, 팔 end in ㄹ
LETTER_FINAL = {"L": "ㄹ", "M": "ㅁ", "N": "ㄴ", "R": "ㄹ"}
SKIP = set("}\"'’”»") | {" "}
HANGUL_FIRST, HANGUL_LAST, RIEUL_FINAL = 0xAC00, 0xD7A3, 8


def final_consonant(word_end: str) -> str | None:
    """The final consonant of the text just before a particle ("ㄹ", "other"), ``None`` if it ends in a vowel, or
    ``"?"`` when it cannot be told (then the vowel form is used, as for a Latin word read letter by letter)."""
    i = len(word_end) - 1
    while i >= 0:
        ch = word_end[i]
        if ch == ">":  # look through markup
            i = word_end.rfind("<", 0, i)
            if i < 0:
                return "?"
            i -= 1
            continue
        if ch in ")]":  # a parenthesis explains the word before it, which takes the particle: 영상분석(선별관제)은
            opening = "(" if ch == ")" else "["
            j = word_end.rfind(opening, 0, i)
            if j <= 0:
                return "?"
            i = j - 1
            continue
        if ch in SKIP:
            i -= 1
            continue
        break
    if i < 0:
        return "?"
    ch = word_end[i]
    code = ord(ch)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        final = (code - HANGUL_FIRST) % 28
        return None if final == 0 else ("ㄹ" if final == RIEUL_FINAL else "other")
    if ch in DIGIT_FINAL:
        return ("ㄹ" if ch in DIGIT_RIEUL else "other") if DIGIT_FINAL[ch] else None
    if "A" <= ch <= "Z" and (i == 0 or not word_end[i - 1].islower()):
        return LETTER_FINAL.get(ch) and ("ㄹ" if LETTER_FINAL[ch] == "ㄹ" else "other")
    if ch.isalpha() and ch.isascii():
        tail = word_end[: i + 1].lower()
        if tail.endswith("l"):
            return "ㄹ"
        if tail.endswith(("m", "n", "ng")):
            return "other"
        return None
    return "?"


def choose(before: str, pair: str) -> str:
    consonant_form, vowel_form = PAIRS[pair]
    final = final_consonant(before)
    if pair in ("(으)로", "으로(로)"):
        return consonant_form if final not in (None, "?", "ㄹ") else vowel_form
    return consonant_form if final not in (None, "?") else vowel_form


# a word with Hangul in it ("79.9%로", "CCTV를"), never reaching into a character reference such as &amp; or &#39;
HANGUL_RUN = re.compile("[^\\s<>&;]*[\uac00-\ud7a3][^\\s<>&;]*")
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
WORD_JOINER = "\u2060"


def keep_words(html: str) -> str:
    """Join the syllables of every Korean word in the text of ``html``'s body (not in its tags, nor in the head, whose
    title becomes the PDF's metadata) with WORD JOINER, so that lines break between words only, as Korean typesetting
    does (the CSS ``word-break: keep-all``)."""
    body = html.find("<body")
    if body > 0:
        return html[:body] + keep_words(html[body:])
    parts = TAG_OR_TEXT.split(html)
    for i in range(0, len(parts), 2):  # even indexes are text, odd ones tags
        parts[i] = HANGUL_RUN.sub(lambda m: WORD_JOINER.join(m.group(0)) if len(m.group(0)) > 1 else m.group(0), parts[i])
    return "".join(parts)


def attach_particles(text: str) -> str:
    """``text`` with every written-both-ways particle replaced by the form its preceding word takes."""
    out: list[str] = []
    last = 0
    for match in PATTERN.finditer(text):
        out.append(text[last:match.start()])
        out.append(choose(text[: match.start()][-200:], match.group(0)))
        last = match.end()
    out.append(text[last:])
    return "".join(out)
