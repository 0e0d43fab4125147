"""The character rules' own tables stay true to the Unicode data of the running Python."""

import sys
import unicodedata

from optionsmatrix.schemas import text as text_rules


def _listed(ranges, code_point):
    return any(first <= code_point <= last for first, last in ranges)


def test_every_format_character_this_python_knows_is_listed():
    unlisted = [
        f"U+{cp:04X}"
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) == "Cf" and not _listed(text_rules.FORMAT_CHARACTERS, cp)
    ]

    assert unlisted == []


def test_normalising_never_brings_in_a_character_that_labels_refuse():
    # clean_label checks the text as typed, then normalises it: that order is safe only if NFKC
    # cannot produce a control, format or separator character from one that was allowed.
    refused = {"Cc", "Cf", "Zl", "Zp", "Cs"}

    def is_refused(character):
        return unicodedata.category(character) in refused or _listed(text_rules.BLANK_CHARACTERS, ord(character))

    produced = [
        f"U+{cp:04X}"
        for cp in range(sys.maxunicode + 1)
        if not is_refused(chr(cp)) and any(is_refused(c) for c in unicodedata.normalize("NFKC", chr(cp)))
    ]

    assert produced == []
