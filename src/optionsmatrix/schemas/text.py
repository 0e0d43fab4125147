"""Which characters a name or a text may hold, and how names are normalised.

Two kinds of field:

- a *label* is one line that people recognise and compare: option and
  criterion names, matrix titles, token names. It is normalised to NFKC
  (so "Café" typed with a combining accent, full-width "Ｃｏｓｔ" and a
  non-breaking space all become their ordinary forms) and may not contain
  control characters (Unicode category Cc, including line breaks and tabs),
  line or paragraph separators, or format characters (Cf: zero-width
  spaces, byte order marks, direction overrides and isolates, soft hyphens).
  Invisible characters let two different-looking names pass as one, or two
  identical-looking names pass as different ("Co\u200bst" next to "Cost").

  Nor the other characters that draw nothing: the rest of Unicode's
  default-ignorable code points (the Hangul fillers U+115F, U+1160, U+3164,
  U+FFA0, the Khmer inherent vowels U+17B4–17B5, the combining grapheme
  joiner U+034F, and unassigned ones that will be invisible when assigned),
  and the blank Braille pattern (U+2800); a title of one of them shows as
  blank. Variation selectors (U+180B–180D, U+180F, U+FE00–FE0F,
  U+E0100–E01EF) pick a glyph's form, as in ❤️: they may follow a visible
  character, never stand alone or lead, and names are compared without them.

  One exception: the zero-width non-joiner and joiner (U+200C, U+200D) are
  allowed *between two visible characters*. Persian spells ordinary words
  with a non-joiner (می‌خواهم), Indic scripts need both to choose a conjunct,
  and emoji sequences such as 👩‍💻 are joined by U+200D. A joiner at either
  end, beside a space or on its own shows nothing and is refused; where
  names are compared for duplicates, joiners are ignored altogether.

- a *text* is free, multi-line prose: descriptions, evidence, sources. It is
  kept as written (evidence quotes a source, so no compatibility folding),
  except that line endings become "\\n". Among control characters only tab
  and newline are allowed; bidirectional overrides and isolates (U+202A–202E,
  U+2066–2069) are refused, since they make text display in a different
  order from the one stored. Other format characters, which some scripts
  and typography need (joiners, soft hyphens, left-to-right marks), stay.

Both refuse unpaired surrogates, which are not characters and cannot be
stored as UTF-8.

The rules are regular expressions so that the API schema can publish them
as `pattern`s that mean exactly what the validators check.
"""

from __future__ import annotations

import re
import unicodedata

# Format characters (category Cf) as of Unicode 15.1. A test checks that every
# Cf character the running Python knows is listed, so a newer Unicode cannot
# slip one past unnoticed; listing them keeps the published schema the same
# whichever Python runs the server.
FORMAT_CHARACTERS = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
CONTROL_CHARACTERS = ((0x0000, 0x001F), (0x007F, 0x009F))  # category Cc: C0, DEL and C1
SURROGATES = ((0xD800, 0xDFFF),)
LINE_SEPARATORS = ((0x2028, 0x2029),)  # categories Zl and Zp
SPACES = (  # category Zs; NFKC turns all but U+1680 into U+0020
    (0x0020, 0x0020),
    (0x00A0, 0x00A0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
# Characters that draw nothing (a name of them shows blank) but are not format characters: Unicode's
# default-ignorable code points other than those, the joiners and the selectors (DerivedCoreProperties,
# Unicode 15.1; tests/test_text_rules.py checks the list), and the blank Braille pattern. Refused in labels.
BLANK_CHARACTERS = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x2065, 0x2065),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0000),
    (0xE0002, 0xE001F),
    (0xE0080, 0xE00FF),
    (0xE01F0, 0xE0FFF),
)
VARIATION_SELECTORS = ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
JOINERS = ((0x200C, 0x200D),)
BIDI_CONTROLS = ((0x202A, 0x202E), (0x2066, 0x2069))
TEXT_CONTROLS_ALLOWED = "\t\n\r"  # carriage returns are turned into newlines


def _escape(code_point: int) -> str:
    # \uXXXX means the same in Python and ECMAScript (JSON Schema's dialect);
    # beyond the BMP there is no common escape, so the character itself goes in.
    return f"\\u{code_point:04x}" if code_point <= 0xFFFF else chr(code_point)


def _ranges(*groups: tuple[tuple[int, int], ...], minus: str = "") -> str:
    """The body of a regex character class holding `groups` except the characters in `minus`."""
    parts = []
    for first, last in sorted(r for group in groups for r in group):
        run_start = None
        for code_point in range(first, last + 2):
            inside = code_point <= last and chr(code_point) not in minus
            if inside and run_start is None:
                run_start = code_point
            elif not inside and run_start is not None:
                end = code_point - 1
                parts.append(_escape(run_start) if run_start == end else f"{_escape(run_start)}-{_escape(end)}")
                run_start = None
    return "".join(parts)


_NOT_IN_LABEL = _ranges(CONTROL_CHARACTERS, FORMAT_CHARACTERS, LINE_SEPARATORS, SURROGATES, BLANK_CHARACTERS)
_NOT_IN_TEXT = _ranges(CONTROL_CHARACTERS, BIDI_CONTROLS, SURROGATES, minus=TEXT_CONTROLS_ALLOWED)
_SPACE = _ranges(SPACES)
_JOINER = _ranges(JOINERS)
_SELECTOR = _ranges(VARIATION_SELECTORS)
_GLYPH = f"[^{_NOT_IN_LABEL}{_SPACE}{_SELECTOR}][{_SELECTOR}]*"  # a visible character, in the form selected

# Optional spaces, then glyphs with runs of spaces or single joiners between
# them, then optional spaces. Each step of the repetition starts with a
# different kind of character, so matching stays linear.
LABEL_PATTERN = f"^[{_SPACE}]*{_GLYPH}(?:[{_JOINER}]?{_GLYPH}|[{_SPACE}]+{_GLYPH})*[{_SPACE}]*$"
TEXT_PATTERN = f"^[^{_NOT_IN_TEXT}]*$"

_LABEL = re.compile(LABEL_PATTERN)
_FORBIDDEN_IN_LABEL = re.compile(
    "["
    + _ranges(CONTROL_CHARACTERS, FORMAT_CHARACTERS, LINE_SEPARATORS, SURROGATES, BLANK_CHARACTERS,
              minus=chr(0x200C) + chr(0x200D))
    + "]"
)  # fmt: skip
_SELECTOR_CHAR = re.compile(f"[{_SELECTOR}]")
_FORBIDDEN_IN_TEXT = re.compile(f"[{_NOT_IN_TEXT}]")
_JOINER_CHAR = re.compile(f"[{_JOINER}]")
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits on


class TextRuleBroken(ValueError):
    """The message is a sentence for the person who typed the text."""


def describe(character: str) -> str:
    """How a message names a character nobody can see: "the invisible character U+200B (zero width space)"."""
    code = f"U+{ord(character):04X}"
    if character == "\t":
        return "the tab"
    if 0xD800 <= ord(character) <= 0xDFFF:
        return f"the unpaired surrogate {code}"
    name = unicodedata.name(character, "")
    return f"the invisible character {code} ({name.lower()})" if name else f"the control character {code}"


def clean_label(value: str, *, max_length: int) -> str:
    """The label as stored: NFKC, without surrounding space. Raises TextRuleBroken with a message for people."""
    if not _LABEL.fullmatch(value):
        raise TextRuleBroken(_label_problem(value))
    value = unicodedata.normalize("NFKC", value).strip()
    if len(value) > max_length:
        # Compatibility characters can expand ("ﷺ" is 18 letters once normalised).
        raise TextRuleBroken(
            f"Use at most {max_length} characters; some of the characters used here, such as ligatures, "
            f"count as several once written out ({len(value)} in all)."
        )
    return value


def _label_problem(value: str) -> str:
    forbidden = _FORBIDDEN_IN_LABEL.search(value)
    if forbidden is not None:
        character = forbidden.group()
        if character in _LINE_BREAKS:
            return "Keep this to one line: remove the line break."
        return f"Remove {describe(character)}: names and titles may only contain visible characters and spaces."
    if not value.strip():
        return "Must not be empty or only whitespace."
    selector = _SELECTOR_CHAR.search(value)
    if selector is not None and not _JOINER_CHAR.search(value):
        return f"Remove {describe(selector.group())}: it may only follow a visible character."
    joiner = _JOINER_CHAR.search(value)
    character = joiner.group() if joiner else "\u200d"
    return f"Remove {describe(character)}: a joiner may only stand between two visible characters."


def has_invisible_characters(value: str) -> bool:
    """Whether a one-line value holds anything that is not plainly visible (for fields with rules
    of their own, such as email addresses, where not even a joiner belongs)."""
    return any(rule.search(value) is not None for rule in (_FORBIDDEN_IN_LABEL, _JOINER_CHAR, _SELECTOR_CHAR))


def clean_text(value: str) -> str:
    """The text as stored: newlines as "\\n", without surrounding space. Raises TextRuleBroken."""
    forbidden = _FORBIDDEN_IN_TEXT.search(value)
    if forbidden is not None:
        character = forbidden.group()
        if any(first <= ord(character) <= last for first, last in BIDI_CONTROLS):
            reason = "direction overrides and isolates make text display in a different order from the one stored"
        elif 0xD800 <= ord(character) <= 0xDFFF:
            reason = "it is not a character and cannot be stored"
        else:
            reason = "text may contain line breaks and tabs but no other control characters"
        raise TextRuleBroken(f"Remove {describe(character)}: {reason}.")
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def comparison_key(name: str) -> str:
    """What two names must share to count as the same: NFKC, case-folded, joiners and variation
    selectors dropped, runs of space collapsed ("Cost", " cost", "ＣＯＳＴ", "Co\u200dst", "Cost\ufe00")."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(_SELECTOR_CHAR.sub("", _JOINER_CHAR.sub("", folded)).split())
