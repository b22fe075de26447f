"""The vocative of a Greek first name, for the greeting of an e-mail («Γεια σας Γιώργο,»).

Why a rule and not a greeting without the name: the portal greets people by their first
name in English, and a Greek reader expects the name in the vocative («Γεια σας Γιώργος»
reads as a mistake). The grammar's rules (Triantafyllidis, §§ on the masculine nouns)
are regular enough for the names people have; where they are not, the name is left as
typed, which is what Greek does with names it does not decline anyway:

- -ης → -η, -ής → -ή, -ας → -α, -άς → -ά: Δημήτρης → Δημήτρη, Περικλής → Περικλή,
  Κώστας → Κώστα, Λουκάς → Λουκά.
- -ος → -ο for names of two syllables (Γιώργος, Νίκος, Πέτρος, Στέλιος → Γιώργο, Νίκο,
  Πέτρο, Στέλιο) and for pet names in -άκος, -έκος, -ούλος (Κυριάκο, Αλέκο);
  -ος → -ε for every longer name (Φίλιππε, Θεόδωρε, Αλέξανδρε, Κωνσταντίνε, Αντώνιε);
  -ός → -έ (Στυλιανέ).
- Anything else is unchanged: women's names (Μαρία, Ελένη, Δέσποινα), names in -ων,
  -ις or -ούς, and every name not written wholly in Greek letters (Ahmed, Fatima).

Syllables are counted as they are spoken: αι, ει, οι, υι, ου and αυ, ευ, ηυ are one
vowel, and an unstressed ι or υ between a consonant and a vowel is no syllable of its
own (Γιώρ-γος, Στέ-λιος), while a stressed one is (Η-λί-ας).
"""

import re
import unicodedata

_VOWELS = set("αεηιουωάέήίόύώϊϋΐΰ")
_DIGRAPH_FIRST = {"ι": "αεου", "ί": "αεου", "υ": "αεηο", "ύ": "αεηο"}  # second: allowed firsts
_GLIDES = set("ιυ")
_PET_NAMES = ("άκος", "έκος", "ούλος")
_GREEK_WORD = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+")


def syllables(word: str) -> int:
    """How many syllables a lower-case Greek word has, spoken (see the module's rule)."""
    count = 0
    previous = ""
    for index, letter in enumerate(word):
        if letter not in _VOWELS:
            previous = letter
            continue
        following = word[index + 1 : index + 2]
        if previous and previous in _DIGRAPH_FIRST.get(letter, ""):
            pass  # the second letter of αι, ει, ου, αυ…: the same vowel
        elif letter in _GLIDES and following in _VOWELS and previous and previous not in _VOWELS:
            pass  # γιώ, λιο: the ι only softens the consonant
        else:
            count += 1
        previous = letter
    return count


def _vocative_word(name: str) -> str:
    lower = name.lower()
    upper = name[-2:].isupper()
    if lower.endswith(("ης", "ής", "ας", "άς")):
        return name[:-1]
    if lower.endswith("ος") or lower.endswith("ός"):
        if syllables(lower) <= 2 or lower.endswith(_PET_NAMES):
            return name[:-1]
        ending = "έ" if lower.endswith("ός") else "ε"
        return name[:-2] + (ending.upper() if upper else ending)
    return name


def vocative(name: str) -> str:
    """`name` in the vocative if it is a Greek masculine first name the rules know, as
    typed otherwise; each part of a double name («Γιώργος-Ιωάννης») on its own."""
    name = unicodedata.normalize("NFC", name.strip())
    parts = name.split("-")
    if not all(_GREEK_WORD.fullmatch(part) for part in parts):
        return name
    return "-".join(_vocative_word(part) for part in parts)
