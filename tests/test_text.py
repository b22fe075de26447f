import pytest

from accmr.core.text import normalise, search_terms, transliterate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Υγεία", "υγεια"),
        ("ΥΓΕΙΑ", "υγεια"),
        ("Αθήνα", "αθηνα"),
        ("ΑΘΗΝΑ", "αθηνα"),
        ("Νομικός", "νομικοσ"),
        ("Ψυχοκοινωνική   υποστήριξη", "ψυχοκοινωνικη υποστηριξη"),
        ("Café Éclair", "cafe eclair"),
        ("διϋλιστήριο", "διυλιστηριο"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_folds_case_accents_and_final_sigma(text, expected):
    assert normalise(text) == expected


def test_normalised_keys_sort_in_greek_alphabetical_order():
    names = ["Ωδείο", "Βιβλιοθήκη", "Άσυλο", "Ζωή", "ψυχολόγος", "Σχολείο", "Ελληνικά", "Ήλιος"]
    assert sorted(names, key=normalise) == [
        "Άσυλο",
        "Βιβλιοθήκη",
        "Ελληνικά",
        "Ζωή",
        "Ήλιος",
        "Σχολείο",
        "ψυχολόγος",
        "Ωδείο",
    ]


def test_search_terms_are_distinct_normalised_stems():
    # Word forms share one term; a too-short stem keeps four letters of the word.
    assert search_terms("  Υγεία υγείας ΑΘΗΝΑ ") == ["υγει", "αθην"]
    assert search_terms("ελληνικά ελληνικών courses") == ["ελλην", "cours"]
    assert search_terms("παιδιά") == ["παιδ"]


def test_transliterate_makes_readable_latin():
    assert transliterate("Κυψέλη") == "kypseli"
    assert transliterate("Μπουμπουλίνας") == "bouboulinas"


def test_control_characters_never_reach_the_keys():
    assert normalise("Κέν\x00τρο\x07") == "κεντρο"
    assert normalise("α\tβ\nγ") == "α β γ"
