"""Finnish personal identity codes (henkilötunnus, "hetu") in free text.

Koordi must never store an identity code in a free-text field or an imported
cell, so every such value is scanned before it is saved. The scan has to be
cheap (it runs on every form save and every CSV cell) and it has to err on the
side of refusing: a code with a wrong check character is still somebody's code,
mistyped, and is refused too, only with a different reason.

Format: DDMMYY + century sign + NNN + check character, e.g. DDMMYY-NNNC.
The check character is int(DDMMYYNNN) mod 31 indexed into CHECK_CHARS.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# 31 symbols: digits plus letters without G, I, O, Q, Z (too easy to misread).
CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# The letters Y, X, W, V, U and B-F were added on 1.1.2023 because the
# individual numbers under '-' and 'A' were running out. All signs stay valid.
CENTURY_SIGNS: dict[str, int] = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}

_DEFAULT_SIGN = {1800: "+", 1900: "-", 2000: "A"}

# Explicit ASCII classes instead of \d / re.IGNORECASE: \d would also match
# other scripts' digits, and IGNORECASE folds e.g. the Kelvin sign into "K".
_ALNUM = "0-9A-Za-z"
_SIGN_LETTERS = "".join(s for s in CENTURY_SIGNS if s.isalpha())
_SIGNS = r"+\-" + _SIGN_LETTERS + _SIGN_LETTERS.lower()  # people type lowercase
# The check position accepts any letter, not just CHECK_CHARS: "…-123G" is
# just as much a mistyped code as "…-123H".
_BODY = rf"([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})([{_SIGNS}])([0-9]{{3}})([{_ALNUM}])"
# A code must stand alone: no letter or digit directly before or after it, so
# the middle of a longer number or of a product code never matches.
# Punctuation (including '_', '+', '-') counts as a separator.
_IN_TEXT = re.compile(rf"(?<![{_ALNUM}]){_BODY}(?![{_ALNUM}])")
_EXACT = re.compile(_BODY)

VALID = "valid"
BAD_CHECKSUM = "bad_checksum"


@dataclass(frozen=True)
class Finding:
    """Where a code-like token is in the scanned text, and what is wrong with it.

    Holds only the first two characters (the day), never the whole code, so a
    Finding that ends up in a log or an error message cannot leak the code.
    """

    start: int
    end: int
    kind: str  # VALID or BAD_CHECKSUM
    prefix: str = ""

    @property
    def masked(self) -> str:
        return self.prefix + "•" * (self.end - self.start - len(self.prefix))


def check_char(ddmmyy: str, nnn: str) -> str:
    """Check character for a birth date part and individual number."""
    if not (len(ddmmyy) == 6 and len(nnn) == 3 and (ddmmyy + nnn).isascii() and (ddmmyy + nnn).isdigit()):
        raise ValueError("expected six and three ASCII digits")
    return CHECK_CHARS[int(ddmmyy + nnn) % 31]


def _classify(m: re.Match[str]) -> str | None:
    """VALID, BAD_CHECKSUM, or None when the token cannot be an identity code."""
    dd, mm, yy, sign, nnn, check = m.groups()
    # 000 and 001 are never issued; 900-999 are temporary codes, but those
    # identify a person just the same, so they are refused like the rest.
    if int(nnn) < 2:
        return None
    try:
        datetime.date(CENTURY_SIGNS[sign.upper()] + int(yy), int(mm), int(dd))
    except ValueError:
        # Same shape but no such day (31.04., 29.02. in 1900): some other
        # number, not a code. Letting it through avoids pestering users.
        return None
    return VALID if check.upper() == check_char(dd + mm + yy, nnn) else BAD_CHECKSUM


def is_valid(code: str) -> bool:
    """True if the whole string is one valid identity code (any letter case)."""
    m = _EXACT.fullmatch(code) if isinstance(code, str) else None
    return m is not None and _classify(m) == VALID


def find_codes(text: str) -> list[Finding]:
    """Every identity-code-like token in text: valid ones and mistyped ones."""
    findings = []
    for m in _IN_TEXT.finditer(text):
        kind = _classify(m)
        if kind is not None:
            findings.append(Finding(m.start(), m.end(), kind, m.group()[:2]))
    return findings


def contains_code(text: str | None) -> bool:
    """True if text holds anything find_codes would report. None is empty."""
    if not text:
        return False
    # Stops at the first hit instead of collecting all of them.
    return any(_classify(m) is not None for m in _IN_TEXT.finditer(text))


def generate(birth: datetime.date, individual: int, sign: str | None = None) -> str:
    """A valid code for birth and individual number (for tests and demo data)."""
    century = birth.year // 100 * 100
    if century not in _DEFAULT_SIGN:
        raise ValueError(f"no century sign for year {birth.year}")
    if not 2 <= individual <= 999:
        raise ValueError("individual number must be 2-999")
    sign = _DEFAULT_SIGN[century] if sign is None else sign.upper()
    if CENTURY_SIGNS.get(sign) != century:
        raise ValueError(f"century sign {sign!r} does not fit year {birth.year}")
    ddmmyy = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"
    nnn = f"{individual:03d}"
    return ddmmyy + sign + nnn + check_char(ddmmyy, nnn)
