"""The shipped Arabic → Latin transliteration model ranks and scores name spellings sensibly."""

from __future__ import annotations

import pytest

from ftfhub.names.translit_model import (
    TranslitModel,
    load_model,
    normalise_arabic,
    normalise_latin,
    rewrites,
)


@pytest.fixture(scope="module")
def model() -> TranslitModel:
    return load_model()


UNRELATED = ("david", "smith", "wang", "peterson", "olga")


@pytest.mark.parametrize(
    ("arabic", "spellings"),
    [
        ("محمد", ("mohammed", "muhammad", "mohamed", "mohamad")),
        ("يوسف", ("youssef", "yusuf", "yousef", "jusuf")),
        ("خالد", ("khaled", "khalid", "chaled")),
        ("قاسم", ("qasim", "kassem", "gasim")),
        ("الشيشاني", ("alshishani", "shishani", "chechani")),
        ("أباعود", ("abaaoud",)),
        ("عبدالحميد", ("abdelhamid", "abdulhamid")),
        ("عبدالسلام", ("abdessalam", "abdulsalam", "abdelsalam")),
        ("عبد", ("abd",)),
        ("السلام", ("salam", "alsalam", "essalam")),
    ],
)
def test_known_spellings_beat_unrelated_names(
    model: TranslitModel, arabic: str, spellings: tuple[str, ...]
) -> None:
    worst_right = min(model.score(arabic, s) for s in spellings)
    best_wrong = max(model.score(arabic, s) for s in UNRELATED)
    assert worst_right > best_wrong, (arabic, worst_right, best_wrong)
    assert worst_right > 0.1


def test_threshold_half_separates_plausible_from_wrong(model: TranslitModel) -> None:
    assert model.score("خالد", "khalid") >= 0.5
    assert model.score("قاسم", "qasim") >= 0.5
    assert model.score("الشيشاني", "shishani") >= 0.5
    assert model.score("خالد", "david") < 0.5
    assert model.score("يوسف", "khalid") < 0.5
    assert model.score("محمد", "ahmed") < model.score("محمد", "mohamed")


def test_the_right_name_wins_among_similar_ones(model: TranslitModel) -> None:
    names = ["khaled", "khalil", "walid", "majid", "hamid", "rashid", "saeed", "yusuf"]
    for arabic, gold in [("خالد", "khaled"), ("خليل", "khalil"), ("وليد", "walid"),
                         ("رشيد", "rashid"), ("حميد", "hamid")]:  # fmt: skip
        ranked = sorted(names, key=lambda name: -model.score(arabic, name))
        assert ranked[0] == gold, (arabic, ranked[:3])


def test_harakat_tatweel_and_spaces_are_ignored(model: TranslitModel) -> None:
    assert normalise_arabic("مُحَمَّد") == "محمد"
    assert normalise_arabic("محـــمد") == "محمد"
    assert model.score("مُحَمَّد", "mohammed") == model.score("محمد", "mohammed")
    assert model.score("عبد السلام", "abdulsalam") == model.score("عبدالسلام", "abdulsalam")


def test_latin_is_folded(model: TranslitModel) -> None:
    assert normalise_latin("Hüseyin-Al'Şahin") == "huseyinalsahin"
    assert model.score("حسين", "Hüseyin") == model.score("حسين", "huseyin")


def test_persian_and_urdu_letters_do_not_crash(model: TranslitModel) -> None:
    assert normalise_arabic("پژمان") == "بجمان"
    assert model.score("پرویز", "parviz") > model.score("پرویز", "smith")
    assert model.score("چنگیز", "changiz") > 0.0
    assert model.score("گل", "gul") > model.score("گل", "wang")
    for arabic in ("کریمی", "ژاله", "ے"):
        cands = model.candidates(arabic, 3)
        assert len(cands) == 3


def test_empty_and_non_arabic_inputs(model: TranslitModel) -> None:
    assert model.score("", "") == 1.0
    assert model.score("", "ali") == 0.0
    assert model.score("علي", "") == 0.0
    assert model.score("123", "ali") == 0.0
    assert model.candidates("", 3) == [("", 1.0)]
    assert model.candidates("علي", 0) == []


def test_scores_are_probabilities_and_best_is_one(model: TranslitModel) -> None:
    for arabic in ("محمد", "الكاتب", "مشاري", "أبسون", "فاطمة"):
        best, best_score = model.candidates(arabic, 1)[0]
        assert best_score == pytest.approx(1.0)
        assert model.score(arabic, best) == pytest.approx(1.0)
        for latin in ("mohammed", "alkateb", "mishari", "upson", "x", "zzzzzzzzzzzzzzzzzzzz"):
            assert 0.0 <= model.score(arabic, latin) <= 1.0


def test_candidates_are_k_sorted_distinct_and_consistent(model: TranslitModel) -> None:
    cands = model.candidates("مشاري", 7)
    assert len(cands) == 7
    scores = [s for _, s in cands]
    assert scores == sorted(scores, reverse=True)
    assert len({c for c, _ in cands}) == 7
    for latin, s in cands:
        assert model.score("مشاري", latin) == pytest.approx(s)
    assert "mishari" in [c for c, _ in model.candidates("مشاري", 10)]


def test_rewrites_cover_the_listed_conventions() -> None:
    assert "ou" in rewrites("u")
    assert "sch" in rewrites("sh")
    assert "dj" in rewrites("j")
    assert "mme" in rewrites("me")
    assert "da" in rewrites("d")
    assert "sh" not in rewrites("sh")


def test_load_model_is_cached() -> None:
    assert load_model() is load_model()
