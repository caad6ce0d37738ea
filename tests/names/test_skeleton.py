"""Romanisation folding and spelling skeletons are rules, checked on real variant pairs."""

from __future__ import annotations

import importlib
import json
import random
import string
from pathlib import Path

import pytest

from corridor.names.skeleton import digraph_key, fold, skeleton
from corridor.names.tokens import name_tokens


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("zheleznyak", "jelezniak"),  # zh/j, ya/ia
        ("yuriy", "iouri"),  # y/i, iy, ou/u
        ("timofeyev", "timofeev"),  # yev/ev
        ("yevgeny", "evgeny"),  # ye/e
        ("sergey", "sergei"),  # ey/ei
        ("aleksandr", "alexandr"),  # ks/x
        ("khodair", "hodair"),  # kh/h
        ("tajideen", "tajidin"),  # ee/i
        ("medvedchuk", "medvedchouk"),  # ou/u
        ("natalya", "natalia"),
        ("kostrubitsky", "kostrubitskiy"),
        ("mohammed", "mohamed"),  # double letters
    ],
)
def test_fold_equates_romanisations(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("mohammed", "muhammad"), ("umar", "omar"), ("aljarba", "jarba"), ("abdoullah", "abdullah")],
)
def test_skeleton_equates_vowel_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("ivanov", "petrov"), ("kim", "lim"), ("karim", "kamal")])
def test_skeleton_keeps_different_names_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)
    assert skeleton(a) != skeleton(b)


def test_legal_form_symbols_and_numbers_untouched() -> None:
    assert fold("@llc") == "@llc" and skeleton("1234") == "1234"


def test_consonants_of_abjad_transliterations() -> None:
    from corridor.names.normalize import normalize
    from corridor.names.skeleton import consonants, is_unvowelled

    arabic = normalize("أحمد حسين الخضير").split()  # Ahmad Hussein al-Khodair
    assert arabic[2] == "al"  # the article is split off the surname
    del arabic[2]
    assert all(is_unvowelled(t) for t in arabic)
    assert [consonants(t) for t in arabic] == [
        consonants("ahmad"),
        consonants("hussein"),
        consonants("khodair"),
    ]
    assert not is_unvowelled("hussein")


def test_german_and_french_spellings_of_russian_names_fold_together() -> None:
    # OFAC 'DZHABAROV, Vladimir Michailovich', 'AZAROV, Mykola Yanovych', 'PECHEGIN, Andrey I.'
    assert fold("dschabarov") == fold("dzhabarov")
    assert fold("mitschailowitsch") == fold("michailovich")
    assert fold("azaroff") == fold("azarov") and fold("azarow") == fold("azarov")
    assert fold("pettschegin") == fold("pechegin")
    assert fold("off") == "of"  # too short to be a name ending


def test_consonants_of_arabic_script_meet_the_romanisation() -> None:
    from corridor.names.normalize import normalize
    from corridor.names.skeleton import consonants, is_unvowelled

    # OFAC 'MAKHLUF, Rami': و written for the long u
    assert consonants(normalize("مخلوف")) == consonants("makhluf")
    assert is_unvowelled("fatma") and consonants("fatma") == consonants("fatima")


def test_abjad_spelling_match_adds_only_short_vowels() -> None:
    from corridor.names.normalize import normalize
    from corridor.names.skeleton import abjad_spelling_match

    hasan, husayn = normalize("حسن"), normalize("حسين")
    assert abjad_spelling_match(hasan, "hasan") and not abjad_spelling_match(hasan, "husayn")
    assert abjad_spelling_match(husayn, "hussein") and not abjad_spelling_match(husayn, "hasan")
    # OFAC 'SOLEIMANI, Qasem', 'AL-ZAWAHIRI, Ayman'
    assert abjad_spelling_match(normalize("سليماني"), "soleimani")
    assert abjad_spelling_match(normalize("الظواهري").split()[-1], "zawahiri")


def test_ukrainian_and_czech_c_for_ts() -> None:
    # OFAC 'KUZNETSOV, Artem', 'ZAYTSEV, Aleksey Alekseyevich'
    assert fold("kuznecov") == fold("kuznetsov")
    assert fold("zaycev") == fold("zaytsev")


def test_final_d_and_t_fold_together() -> None:
    assert fold("mehmed") == fold("mehmet")
    assert fold("ahmad") == fold("ahmat")


@pytest.mark.parametrize(
    ("scholarly", "bgn"),
    [
        ("bazen", "bazhen"),
        ("anatolevic", "anatolyevich"),
        ("grigorijovic", "grigoriyovich"),
        ("danilcuk", "danilchuk"),
        ("scerbakov", "shcherbakov"),
        ("mihajlovic", "mikhaylovich"),
    ],
)
def test_digraph_key_meets_iso9_and_bgn(scholarly: str, bgn: str) -> None:
    assert digraph_key(scholarly) == digraph_key(bgn)


def _every_rule(text: str, rules) -> str:
    """What a rule table means: every rule applied in turn, none skipped."""
    for pattern, repl, _where, _groups, _letters in rules:
        text = pattern.sub(repl, text)
    return text


def test_rules_skipped_could_not_have_matched(shared_dir: Path) -> None:
    """The cheap tests that skip a rule (a letter each of its groups needs missing, its
    letter groups absent from the word, not at its end or start, no letter written twice,
    the pattern not found) never skip one that would rewrite: on every
    part of the dev set's names and on random words over the letters the rules are about."""
    # The module (``corridor.names`` exports its function ``skeleton`` under that name).
    module = importlib.import_module("corridor.names.skeleton")
    words: set[str] = set()
    with (shared_dir / "eval" / "dev" / "queries.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            for name in json.loads(line)["properties"].get("name", []):
                words.update(name_tokens(name))
    rng = random.Random(20261202)
    letters = "aeiouyhcszkdtqjwf"
    for _ in range(20_000):
        size = rng.randint(1, 14)
        words.add(
            "".join(
                rng.choice(letters if rng.random() < 0.8 else string.ascii_lowercase)
                for _ in range(size)
            )
        )
    for rules in (module._FOLD_RULES, module._DIGRAPH_RULES):
        wrong = [w for w in words if module._rewrite(w, rules) != _every_rule(w, rules)]
        assert not wrong, wrong[:10]


def test_abjad_spelling_match_is_the_regular_expression_it_stands_for() -> None:
    """Each letter of the unvowelled part written as one of its Latin spellings, each
    followed by at most one short vowel: the regular expression ``^s0[aeiou]?s1…$``, on
    real Arabic-script transliterations and 40,000 random pairs."""
    import random
    import re

    from corridor.names.skeleton import _ARTICLE, abjad_spelling_match, fold

    slots = {"a": "(?:a|e|ah)", "v": "(?:u|o|v|uv|ov|av)", "i": "(?:i|e|ei|ai|ia)"}

    def by_expression(token: str, latin: str) -> bool:
        folded = _ARTICLE.sub("", fold(token))
        if len(folded) < 2:
            return False
        parts = [
            "[aeiou]" if k == 0 and ch == "a" else slots.get(ch, re.escape(ch))
            for k, ch in enumerate(folded)
        ]
        pattern = "^" + "[aeiou]?".join(parts) + "[aeiou]?$"
        return re.match(pattern, _ARTICLE.sub("", fold(latin))) is not None

    rng = random.Random(20261202)
    tokens = ["hsn", "mhmd", "hsyn", "abrhm", "asama", "alzbydy", "khald", "fatma", "yvsf", "nvr"]
    latins = ["hasan", "husayn", "muhammad", "ibrahim", "usama", "alzubaydi", "khalid", "nour"]
    pairs = [(t, latin) for t in tokens for latin in latins]
    for _ in range(20_000):  # random letters, and the token with random vowels added
        token = "".join(rng.choice("ahmdsnvyilrk") for _ in range(rng.randint(1, 7)))
        latin = "".join(rng.choice("aeiouhmdsnvyrkl") for _ in range(rng.randint(1, 10)))
        vowelled = "".join(ch + rng.choice(["", "", "a", "e", "i", "o", "u"]) for ch in token)
        pairs += [(token, latin), (token, vowelled)]
    got = [abjad_spelling_match(t, latin) for t, latin in pairs]
    assert got == [by_expression(t, latin) for t, latin in pairs]
    assert 100 < sum(got) < len(pairs) // 2
