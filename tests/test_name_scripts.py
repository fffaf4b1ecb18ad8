"""Every script meets its romanisations; the Latin conventions of agencies meet each other.

All names are invented, real-looking combinations (no real person's name).
"""

from __future__ import annotations

import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name
from ftfhub.index import ScreeningIndex
from ftfhub.names.romanise import romanise
from ftfhub.names.structure import parse_name
from ftfhub.services.compare import compare_two

HIT = 0.7  # the default hit threshold (settings.hit_threshold)


@pytest.mark.parametrize(
    ("written", "latin", "stranger"),
    [
        ("Шамиль Гаджиев", "Shamil Gadzhiev", "Ruslan Petrov"),  # Cyrillic (Russian)
        ("Тимур Рахмонзода", "Timur Rakhmonzoda", "Farhod Karimov"),  # Tajik
        ("Ерлан Сейтқали", "Yerlan Seitkali", "Bolat Nurlanov"),  # Kazakh
        ("Ευάγγελος Κωνσταντινίδης", "Evangelos Konstantinidis", "Nikos Papas"),  # Greek
        ("יוסף כהן", "Yosef Cohen", "Moshe Friedman"),  # Hebrew
        ("გიორგი ბერიძე", "Giorgi Beridze", "Levan Kapanadze"),  # Georgian
        ("Արամ Պետրոսյան", "Aram Petrosyan", "Tigran Hakobyan"),  # Armenian
        ("राहुल शर्मा", "Rahul Sharma", "Vikram Patel"),  # Devanagari
        ("王小明", "Wang Xiaoming", "Li Wei"),  # Chinese
        ("김민준", "Kim Minjun", "Park Jihoon"),  # Korean
        ("さとう ひろし", "Sato Hiroshi", "Tanaka Kenji"),  # Japanese kana
        ("สมชาย ใจดี", "Somchai Jaidee", "Anan Wongsakul"),  # Thai
    ],
)
def test_every_script_meets_its_romanisation(written: str, latin: str, stranger: str) -> None:
    same = compare_two(written, latin)
    other = compare_two(written, stranger)
    assert same.score > 0.6
    assert same.weight > other.weight + 10
    assert not any(t.level == "conflict" for t in same.terms)


@pytest.mark.parametrize(
    "spelling",
    [
        "Shamil Tasaev",  # English, BGN/PCGN
        "Chamil Tassaev",  # French
        "Schamil Tassajew",  # German
        "Şamil Tasayev",  # Turkish
        "Šamil Tasajev",  # scholarly (ISO 9 / Slavic Latin)
        "TASAEV<<SHAMIL",  # passport MRZ (ICAO 9303)
    ],
)
def test_cyrillic_meets_every_agency_convention(spelling: str) -> None:
    assert compare_two("Шамиль Тасаев", spelling).score > HIT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zaur Abdullaev", "Zaur Abdullaeff"),  # -ov/-ev and the French -off/-eff
        ("Zaur Abdullaev", "Zaur Abdullajew"),  # German -jew
        ("Zaur Abdullaev", "Zaur Abdullayev"),  # -yev
        ("Iakov Sadykov", "Yakov Sadykov"),  # MRZ ia for я
        ("Timur Rakhmonzoda", "Timur Rahmonzade"),  # Tajik -zoda / -zade
    ],
)
def test_slavic_and_central_asian_endings_meet(a: str, b: str) -> None:
    assert compare_two(a, b).score > HIT


def test_chinese_and_korean_names_split_family_from_given_name() -> None:
    assert romanise("王小明") == "Wang Xiaoming"
    assert romanise("박지훈") == "Park Jihun"
    assert [p.text for p in parse_name("김민준").parts] == ["kim", "minjun"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("FridrichBuchenberg", "Friedrich Buchenberg"),
        ("Abdelrahman Salem", "Abdel Rahman Salem"),
        ("Abd-al-Rahman Salem", "Abdelrahman Salem"),
        ("Kim Min-jun", "Kim Minjun"),
        ("Bouazza Karim", "Karim Bou Azza"),
        ("SuleimanAl Zerhouni", "Suleiman Al Zerhouni"),  # an article fused to the word before
    ],
)
def test_joined_and_split_words_meet_whatever_else_matched(a: str, b: str) -> None:
    same = compare_two(a, b)
    assert same.score > HIT
    assert not any(t.level in ("conflict", "missing") for t in same.terms)


def test_typing_slips_are_graded_below_exact() -> None:
    exact = compare_two("Olaf Brandtner", "Olaf Brandtner")
    slip = compare_two("Olaf Brandtner", "Olaf Brandnter")  # two letters swapped
    assert any(t.level == "typo" for t in slip.terms)
    assert exact.weight >= slip.weight > compare_two("Olaf Brandtner", "Olaf Lindqvist").weight


@pytest.mark.parametrize(
    ("written", "slipped"),
    [
        ("Karim Jumul", "Karim Juul"),  # a letter dropped inside a five-letter name
        ("Elena Marisova Tadra", "Elena Marisova Tada"),
        ("Tomas Ezzarat", "Tomas Ezzzarat"),  # a letter struck three times
    ],
)
def test_a_letter_dropped_inside_a_short_name_is_a_slip(written: str, slipped: str) -> None:
    slip = compare_two(written, slipped)
    assert slip.score > HIT
    assert not any(t.level in ("conflict", "surname_conflict") for t in slip.terms)


def test_a_letter_more_at_the_end_is_another_name_not_a_slip() -> None:
    other = compare_two("Sami Zerhouni", "Samir Zerhouni")
    assert not any(t.level == "typo" for t in other.terms)
    assert other.weight < compare_two("Karim Jumul", "Karim Juul").weight


def test_cyrillic_letter_by_letter_digraphs_meet_their_latin_form() -> None:
    assert romanise("Гхиатх Садегхи") == "Ghiath Sadeghi"
    assert romanise("Исхак") == "Ishak"
    assert compare_two("Гхиатх Зербатли", "Ghiath Zerbatli").score > HIT


def test_a_given_name_where_the_other_has_a_title_is_another_person() -> None:
    brother = compare_two("Haji Derwan Tolzai", "Marek Derwan Tolzai")
    assert any(t.level == "given_conflict" for t in brother.terms)
    assert brother.score < 0.1
    # The title itself, written in Cyrillic or another Latin way, is no given name.
    for same in ("Хаджи Дерван Толзай", "Hadji Derwan Tolzai", "Derwan Tolzai"):
        found = compare_two("Haji Derwan Tolzai", same)
        assert not any(t.level == "given_conflict" for t in found.terms), same
        assert found.score > HIT, same


@pytest.mark.parametrize(
    ("mccune", "revised"),
    [("PAEK, Chong-sam", "PAEK, Jong Sam"), ("RI, To'k-chin", "RI, Tok Jin")],
)
def test_korean_romanisation_systems_meet(mccune: str, revised: str) -> None:
    assert compare_two(mccune, revised).score > HIT
    # Only a syllable's onset: `Jad` and `Chad` stay two names.
    assert not any(t.level == "variant" for t in compare_two("Jad Tolbi", "Chad Tolbi").terms)


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("PAK Yong-chol", "BAK Yeong Cheol"),  # Korean: McCune–Reischauer / Revised
        ("Kang Tae-sik", "Gang Dae Sik"),
        ("Chang Hsiao-ming", "Zhang Xiaoming"),  # Chinese: Wade–Giles / Pinyin
        ("Tsai Kuo-tung", "Cai Guodong"),
        ("Teng Chih-hsien", "Deng Zhixian"),
    ],
)
def test_chinese_and_korean_romanisation_systems_meet(older: str, newer: str) -> None:
    found = compare_two(older, newer)
    assert found.score > HIT
    assert not any("conflict" in t.level for t in found.terms)


def test_voiced_and_voiceless_onsets_meet_only_between_syllabic_names() -> None:
    # `Dan`/`Tan` beside a Western family name are two names, not two romanisations.
    assert compare_two("Dan Hollister", "Tan Hollister").score < 0.1
    assert compare_two("Pak Chol-su", "Bak Cheol Su").score > HIT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hong Il Pyo", "Pyo Hong Il"),  # `Il` is a name, not the article `il`
        ("Dragan Miloradovic", "Miloradovic Dragan"),  # -ović is a family name
        ("Murat Karaoglu", "Karaoglu Murat"),  # so is a fused -oğlu
        ("Samir Taha El Gharbi", "Gharbi Samir Taha El"),  # an article left at the end
    ],
)
def test_reordering_never_costs(a: str, b: str) -> None:
    assert compare_two(a, b).weight == pytest.approx(compare_two(a, a).weight)


def test_a_leading_particle_or_initial_is_a_name_part() -> None:
    # `La`, `Le`, `Y`, `E` lead a name as a given name or an initial, not as `de la`'s particle.
    assert [p.text for p in parse_name("La Min Thu").parts] == ["la", "min", "thu"]
    assert parse_name("Y. Vasquez Orrego").parts[0].role == "initial"
    assert [p.text for p in parse_name("DE LA VEGA, Ramon").parts] == ["vega", "ramon"]
    assert compare_two("La Min Thu", "Aung Min Thu").score < 0.1
    assert compare_two("Yolanda Vasquez Orrego", "Y. Vasquez Orrego").score > HIT
    # A particle fused to the name before it: `MarcoDi Lauro`.
    assert compare_two("Marcello Di Lauretti", "MarcelloDi Lauretti").score > 0.95


def test_a_split_fathers_name_is_the_same_name() -> None:
    split = compare_two("Ruslan Timurovich Kadyrbekov", "Ruslan Timurov Ich Kadyrbekov")
    whole = compare_two("Ruslan Timurovich Kadyrbekov", "Ruslan Timurovich Kadyrbekov")
    assert split.weight == pytest.approx(whole.weight)
    # A father's name on one side only: the explanation does not claim every part agrees.
    middle = compare_two("Ruslan Timurovich Kadyrbekov", "Ruslan Kadyrbekov")
    complete = [t.detail for t in middle.terms if t.level == "complete"]
    assert complete and "patronymic timurovich on one side only" in complete[0]


def test_an_arabic_script_part_is_as_common_as_its_romanisation() -> None:
    """محمد is weighed like Mohammed, not as a rare part: the shipped population table is
    keyed by Latin forms, so two Arabic-script chains differing in the family nisba are two
    people, as the same chains in Latin are."""
    a = "محمد بن عبد الله بن أحمد بن علي الحربي"
    b = "محمد بن عبد الله بن أحمد بن علي العتيبي"
    latin_a = "Mohammed bin Abdullah bin Ahmed bin Ali al-Harbi"
    latin_b = "Mohammed bin Abdullah bin Ahmed bin Ali al-Otaibi"
    assert compare_two(a, b, "1985", "1985").score < HIT
    assert compare_two(latin_a, latin_b, "1985", "1985").score < HIT
    from ftfhub.matching.features import name_features

    arabic = {p.label(): p.freq_key for p in name_features("محمد علي").parts}
    latin = {p.text: p.freq_key for p in name_features("Mohammed Ali").parts}
    assert arabic["محمد"] == latin["mohammed"]
    assert arabic["علي"] == latin["ali"]


def test_abd_allah_is_shown_with_one_article() -> None:
    comparison = compare_two("عبد الله الحربي", "عبد الله الحربي")
    details = " ".join(str(t["detail"]) for t in comparison.explanation())
    assert "عبد الله" in details
    assert "الالله" not in details


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("خالد الشرقاوي", "Halid eş-Şarkavi"),  # Turkish: the full skeleton, a less usual spelling
        ("خالد الشرقاوي", "ALSHARQAWI<<KHALID"),  # passport: the article fused to the nisba
    ],
)
def test_arabic_script_scores_as_its_latin_spelling_would(written: str, latin: str) -> None:
    """Against the same Latin spelling, an Arabic-script name scores about as its usual
    romanisation does (`Khaled al-Sharqawi`): scores mean the same in every script."""
    across = compare_two(written, latin).score
    assert across > 0.8
    assert abs(across - compare_two("Khaled al-Sharqawi", latin).score) < 0.1


@pytest.mark.parametrize(
    ("hebrew", "latin"),
    [
        ("משה כהן", "Moshe Cohen"),
        ("דוד מזרחי", "David Mizrahi"),  # ו as v, and the i of the final י
        ("יעקב פרידמן", "Yaakov Friedman"),  # ב as v, ע unwritten in Latin
        ("אברהם שטרן", "Avraham Stern"),
        ("רבקה גולדברג", "Rivka Goldberg"),
        ("שרה פרלוביץ", "Sara Perlovitz"),  # a final ה is the vowel; צ as tz, פ as p
        ("יצחק רוזנצוויג", "Yitzhak Rosenzweig"),  # German s for ז, w for ו
        ("רחל שפירנטל", "Rachel Schpirental"),  # ח as ch, ש as sch
    ],
)
def test_hebrew_meets_its_romanisation_above_the_hit_threshold(hebrew: str, latin: str) -> None:
    assert compare_two(hebrew, latin).score > HIT
    assert compare_two(latin, hebrew).score > HIT


def test_screening_finds_a_hebrew_record_from_its_latin_spelling_and_back() -> None:
    # Letters the skeletons of the Arabic reading miss: צ as tz, ז as s, ג as g, ח as h.
    # (No birth dates, so the scores are low: what is tested is that the record is found.)
    names = [("יצחק רוזנשטרן", "Yitzhak Rosenshtern"), ("צבי כצמן", "Tzvi Katzman")]
    hebrew, latin = ScreeningIndex(), ScreeningIndex()
    for k, (written, romanised) in enumerate(names):
        hebrew.add(f"h{k}", RecordData(record_id=f"h{k}", kind="watchlist", names=(Name(written),)))
        latin.add(
            f"l{k}", RecordData(record_id=f"l{k}", kind="watchlist", names=(Name(romanised),))
        )
    for k, (written, romanised) in enumerate(names):
        query = RecordData(record_id="q", kind="travel", names=(Name(romanised),))
        assert [m.key for m in hebrew.screen(query, limit=1, threshold=0.0)] == [f"h{k}"]
        query = RecordData(record_id="q", kind="travel", names=(Name(written),))
        assert [m.key for m in latin.screen(query, limit=1, threshold=0.0)] == [f"l{k}"]


def test_hebrew_consonants_are_not_enough_for_another_name() -> None:
    same = compare_two("שרה לוי", "Sara Levi").weight
    assert compare_two("שרה לוי", "Sami Levi").weight < same - 8
    assert (
        compare_two("משה פרלוביץ", "Musa Perlovitz").weight
        < compare_two("משה פרלוביץ", "Moshe Perlovitz").weight
    )


def test_a_hebrew_part_is_shown_with_its_letters_in_latin() -> None:
    comparison = compare_two("Yosef Levi", "יוסף לוי")
    details = " ".join(str(t["detail"]) for t in comparison.explanation())
    assert "לוי (loi)" in details
    assert "יוסף (yosf)" in details


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [
        ("Ihor Petrenko", "Igor Petrenko"),
        ("Olha Kovalenko", "Olga Kovalenko"),
        ("Bohdan Shevchuk", "Bogdan Shevchuk"),
    ],
)
def test_ukrainian_h_meets_the_russian_g_of_one_letter(ukrainian: str, russian: str) -> None:
    assert compare_two(ukrainian, russian).score > HIT


def test_a_first_h_is_not_a_russian_g() -> None:
    assert compare_two("Hassan Ali", "Gassan Ali").score < HIT


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [
        ("Mykola Petrovych Dovhanenko", "Nikolai Petrovich Dovganenko"),
        ("Volodymyr Hrytsaienko", "Vladimir Grytsaienko"),
        ("Serhiy Mykolayovych Tarlenko", "Sergei Nikolaevich Tarlenko"),
        ("Hanna Yevhenivna Ostrovets", "Anna Evgenievna Ostrovets"),
    ],
)
def test_ukrainian_and_russian_forms_of_one_name_meet(ukrainian: str, russian: str) -> None:
    same = compare_two(ukrainian, russian)
    assert same.score > HIT, same.terms
    assert not any("conflict" in t.level for t in same.terms)


def test_a_slavic_cognate_is_not_another_slavic_name() -> None:
    brothers = compare_two("Mykola Petrovych Dovhanenko", "Pavlo Petrovych Dovhanenko")
    assert any(t.level == "given_conflict" for t in brothers.terms)
    assert brothers.score < 0.1


@pytest.mark.parametrize(
    ("thai", "latin"),
    [("สมศักดิ์ วงศ์ใหญ่", "Somsak Wongyai"), ("สมชาย ใจดี", "Somchai Jaidee")],
)
def test_thai_silent_letters_are_not_written(thai: str, latin: str) -> None:
    assert compare_two(thai, latin).score > HIT


def test_thai_silent_letters_are_left_out() -> None:
    # The thanthakhat's letter and a tone-setting ห are not pronounced, nor romanised.
    assert romanise("สมศักดิ์ วงศ์ใหญ่") == "smsak wngyai"
    assert romanise("หมอ") == "mo"


@pytest.mark.parametrize(
    ("indic", "latin"),
    [
        ("प्रकाश चंद्र जोशी", "Prakash Chandra Joshi"),  # Devanagari
        ("संजय सिंह", "Sanjay Singh"),
        ("ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "Gurpreet Singh"),  # Gurmukhi
        ("ચંદ્રકાંત પટેલ", "Chandrakant Patel"),  # Gujarati
        ("আমিনুল ইসলাম", "Aminul Islam"),  # Bengali
    ],
)
def test_north_indian_scripts_meet_their_romanisation(indic: str, latin: str) -> None:
    assert compare_two(indic, latin).score > HIT


def test_the_inherent_vowel_is_written_where_hindi_says_it() -> None:
    # Between consonants, not at a word's end, not between a vowel and a consonant with its
    # own vowel; ca as ch, sha as sh, the anusvara as n, m or ng; nukta consonants as z, f, q.
    assert romanise("प्रकाश") == "prakash"
    assert romanise("कमला कमल") == "kamla kamal"
    assert romanise("संजय सिंह अरविंद") == "sanjay singh arvind"
    assert romanise("ज़ाकिर फ़रहान") == "zakir farhan"
    assert compare_two("अनिल वर्मा", "Sunil Verma").score < 0.1
