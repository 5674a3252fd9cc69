"""`fold`: one normalisation for matching, whatever the script, the case, the accents or the spacing."""

# ruff: noqa: RUF001 (letters of other scripts are the point of these tests)

from __future__ import annotations

from liaison.search.text import fold, fold_with_offsets


def test_french_accents_case_and_spacing_fold_alike() -> None:
    assert fold("  Élodie   DUPONT-Hervé\n\tà Besançon ") == "elodie dupont-herve a besancon"
    assert fold("Elodie Dupont-Herve a Besancon") == fold("ÉLODIE  dupont-hervé à besançon")


def test_ligatures_and_compatibility_forms_are_spelled_out() -> None:
    assert fold("ﬁchier") == "fichier"  # the fi ligature
    assert fold("Œuvre") == "œuvre"  # œ is a letter of French, not a ligature of compatibility: kept
    assert fold("Straße") == "strasse"
    assert fold("ＡＢＣ１２３") == "abc123"  # full-width forms
    assert fold("x²") == "x2"


def test_turkish_dotted_capital_i_folds_to_i() -> None:
    assert fold("İstanbul") == "istanbul"
    assert fold("ISTANBUL") == "istanbul"


def test_other_scripts_stay_readable() -> None:
    assert fold("Ελένη Παπαδράκου") == "ελενη παπαδρακου"  # accents gone, letters kept
    assert fold("ОКСАНА Довженкова") == "оксана довженкова"
    assert fold("Йошкар") == "иошкар"  # the breve is a combining mark once decomposed
    assert fold("طارق الزهراوين") == "طارق الزهراوين"
    assert fold("مُحَمَّد") == "محمد"  # vowel marks dropped, letters kept


def test_bidirectional_marks_and_non_breaking_spaces_disappear() -> None:
    assert fold("abc\u200fdef\u00a0ghi\u200b") == "abcdef ghi"


def test_offsets_point_back_into_the_original_text() -> None:
    text = "  Éric  Straße"
    folded, offsets = fold_with_offsets(text)
    assert folded == "eric strasse"
    assert len(offsets) == len(folded)
    assert text[offsets[0]] == "É" and text[offsets[-1]] == "e"
    assert text[offsets[folded.index("ss")]] == "ß"


def test_nothing_in_nothing_out() -> None:
    assert fold("") == ""
    assert fold(" \n\t ") == ""
    assert fold("a\x00b") == "a\x00b"
