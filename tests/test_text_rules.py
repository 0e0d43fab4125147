"""The character rules' own tables stay true to the Unicode data of the running Python."""

import sys
import unicodedata

import pytest

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


# Default_Ignorable_Code_Point, Unicode 15.1 (DerivedCoreProperties.txt): the characters that draw nothing.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)


def test_no_character_that_draws_nothing_makes_a_label_alone_or_a_lookalike_of_another_name():
    """Every default-ignorable code point is refused in a label, or (a joiner, a variation selector)
    allowed only beside visible characters and ignored when names are compared for duplicates."""
    for first, last in DEFAULT_IGNORABLE:
        for code_point in range(first, last + 1):
            character = chr(code_point)
            with pytest.raises(text_rules.TextRuleBroken):
                text_rules.clean_label(character, max_length=200)
            try:
                appended = text_rules.clean_label("Cost" + character, max_length=200)
            except text_rules.TextRuleBroken:
                continue
            assert text_rules.comparison_key(appended) == text_rules.comparison_key("Cost"), f"U+{code_point:04X}"
