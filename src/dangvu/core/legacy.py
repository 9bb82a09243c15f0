"""Vietnamese text from old spreadsheets: TCVN3 (ABC) and VNI typed with legacy fonts, and decomposed Unicode.

Such a cell reaches us as Unicode whose characters are the legacy bytes read through Windows-1252 (Excel hands
the five bytes 1252 leaves undefined through as the raw code point; .xls and .csv may carry the control-range
bytes too): TCVN3 `NguyÔn V¨n §øc`, VNI `Nguyeãn Vaên Ñöùc`, all-caps fonts `HOµNG V¡N B×NH`.

- The TCVN3 table is glibc iconv's TCVN5712-1, every byte (the toned capitals at 0x80–0x9F and 0x01–0x17
  included); the VNI table follows the VNI Windows layout (a base letter, then a byte for the diacritics).
- Each candidate reading is judged by how Vietnamese it looks (`penalty`): letters outside the alphabet, syllables
  that Vietnamese spelling does not allow (onset + rhyme, one tone), capitals inside a word.
- **A column is decided as a whole** (`decide`): the reading with the lowest total penalty over its cells, so a
  cell whose marked letters happen to look legal in Unicode ("Thanh Hãa") is read like its neighbours. A cell
  departs from its column only on strong evidence (its own best reading is flawless and the column's is not).
- **All-caps fonts** (.VnTimeH, VNI caps) keep lowercase codes for the marked letters; a word typed in capitals
  gets its capitals back ("HOàNG" → "HOÀNG").
- Plain Unicode, composed or decomposed, is never altered beyond NFC.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

UNICODE, TCVN3, VNI = "unicode", "tcvn3", "vni"
ENCODINGS = (UNICODE, TCVN3, VNI)
LABELS = {UNICODE: "Unicode", TCVN3: "TCVN3 (ABC, .VnTime)", VNI: "VNI (VNI-Times)"}

# glibc iconv TCVN5712-1: byte → Unicode (bytes not listed are ASCII, or the same code point).
_TCVN3_BYTES = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ",
    0x16: "Ý", 0x17: "Ỵ", 0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á", 0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È",
    0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ", 0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ", 0x90: "Í", 0x91: "Ị",
    0x92: "Ò", 0x93: "Ỏ", 0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ", 0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ",
    0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư",
    0xA7: "Đ", 0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ", 0xB0: "\u0300",
    0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323", 0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è", 0xCD: "Ể", 0xCE: "ẻ",
    0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ",
    0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ",
    0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ",
    0xED: "ớ", 0xEE: "ợ", 0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử",
    0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFE: "ỵ", 0xFF: "Ố",
}


def _cell_chars(b: int) -> set[str]:
    """How byte b can reach us in a cell: read through Windows-1252, or as the raw code point."""
    out = {chr(b)}
    with contextlib.suppress(UnicodeDecodeError):
        out.add(bytes([b]).decode("cp1252"))
    return out


_TCVN3 = {c: u for b, u in _TCVN3_BYTES.items() for c in _cell_chars(b)}

# VNI: single characters that stand for a whole letter.
_VNI_LETTERS = {
    "Ñ": "Đ", "ñ": "đ", "Ö": "Ư", "ö": "ư", "Ô": "Ơ", "ô": "ơ",
    "Æ": "Ỉ", "æ": "ỉ", "Ó": "Ĩ", "ó": "ĩ", "Ò": "Ị", "ò": "ị", "Î": "Ỵ", "î": "ỵ",
}  # fmt: skip
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
# VNI: a byte after a vowel that adds marks to it (same meaning in both cases).
_VNI_MARKS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
_VOWELS = set("aeiouyAEIOUYưƯơƠ")
_TONES = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}

_VI_LETTERS = set(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwzàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
_VI_LETTERS |= {c.upper() for c in _VI_LETTERS}


def decode_tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(_TCVN3.get(c, c) for c in text))


def decode_vni(text: str) -> str:
    out: list[str] = []
    for c in text:
        if c in _VNI_MARKS and out and unicodedata.normalize("NFD", out[-1])[0] in _VOWELS:
            out[-1] = unicodedata.normalize("NFC", out[-1] + _VNI_MARKS[c])
        else:
            out.append(_VNI_LETTERS.get(c, c))
    return unicodedata.normalize("NFC", "".join(out))


def decode(text: str, encoding: str) -> str:
    """`text` read as `encoding` (NFC); Unicode is only normalised."""
    nfc = unicodedata.normalize("NFC", text)
    if encoding == TCVN3:
        return decode_tcvn3(nfc)
    if encoding == VNI:
        return decode_vni(nfc)
    return nfc


# --- what Vietnamese looks like -------------------------------------------------------------------------

_ONSETS = {"", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
           "ph", "qu", "r", "s", "t", "th", "tr", "v", "x", "f", "j", "w", "z"}  # fmt: skip
_RHYMES = set(
    """a ai ao au ay am an ang anh ac ach ap at ăm ăn ăng ăc ăp ăt âu ây âm ân âng âc âp ât
    e eo em en eng ec ep et ê êu êm ên ênh êch êp êt
    i ia iu im in inh ich ip it iêu iêm iên iêng iêc iêp iêt
    o oi om on ong oc op ot oong ooc oa oai oao oay oam oan oang oanh oac oach oap oat oăm oăn oăng oăc oăt
    oe oeo oem oen oet ô ôi ôm ôn ông ôc ôp ôt ơ ơi ơm ơn ơp ơt
    u ua ui um un ung uc up ut uân uâng uât uây uê uêch uênh uy uya uyu uych uynh uyt uyên uyêt uơ
    uôi uôm uôn uông uôc uôt ư ưa ưi ưu ưm ưn ưng ưc ưt ươi ươu ươm ươn ương ươc ươp ươt
    y yêu yêm yên yêt""".split()  # noqa: SIM905 — the rhymes read better as text
)
_OPENING = set("aăâeê")  # in a Vietnamese syllable only a plain i, o, u or y may follow these


def _strip_tone(c: str) -> str:
    d = unicodedata.normalize("NFD", c)
    return unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in _TONES))


@lru_cache(maxsize=65536)
def _syllable_ok(word: str) -> bool:
    """Vietnamese spelling allows `word` (lower case, letters only): an onset and a rhyme, one tone."""
    if sum(1 for c in word for m in unicodedata.normalize("NFD", c) if m in _TONES) > 1:
        return False
    bare = "".join(_strip_tone(c) for c in word)
    for n in (3, 2, 1, 0):
        onset, rhyme = bare[:n], bare[n:]
        if onset in _ONSETS and (rhyme in _RHYMES or (onset == "gi" and (rhyme == "" or rhyme in _RHYMES))):
            return True
    return False


def _base(c: str) -> str:
    return unicodedata.normalize("NFD", c.lower())[0]


def _marked(c: str) -> bool:
    return len(unicodedata.normalize("NFD", c)) > 1 or c.lower() in "ăâêôơưđ"


PUNCTUATION = "-./,()'\"&:;%+*#"


def penalty(text: str) -> int:
    """How un-Vietnamese a reading looks; lower is better, 0 is flawless."""
    score = 0
    for raw in text.split():
        word = raw.strip(PUNCTUATION)
        for i, c in enumerate(word):
            if not (c in _VI_LETTERS or (c.isascii() and c.isalnum()) or c in PUNCTUATION):
                score += 3  # a symbol, a foreign letter, a fraction: the bytes of another encoding
            if c.isalpha() and i > 0 and c.isupper() and word[i - 1].islower():
                score += 1
        letters = word.lower()
        if letters.isalpha() and any(_marked(c) for c in letters) and all(c in _VI_LETTERS for c in letters):
            if not _syllable_ok(letters):
                score += 3
        else:  # the old rules, for words that are not plain letters
            tones = sum(1 for c in word for m in unicodedata.normalize("NFD", c) if m in _TONES)
            score += max(0, tones - 1) * 2
            for i, c in enumerate(word):
                if i > 0 and _base(c) in "aeiouy" and _marked(c):
                    prev = _strip_tone(word[i - 1].lower())
                    if prev in _OPENING:
                        score += 2
    return score


# --- capitals --------------------------------------------------------------------------------------------


def restore_case(raw: str, decoded: str) -> str:
    """All-caps fonts keep lowercase codes for the marked letters: a cell whose plain letters were all typed in
    capitals (two or more of them) is a capitals cell, and gets its capitals back. Anything with a lowercase plain
    letter is left as it is ("Hoµng" is "Hoàng", not "HOÀNG")."""
    plain = [c for c in raw if c.isascii() and c.isalpha()]
    if len(plain) >= 2 and all(c.isupper() for c in plain) and any(c.islower() for c in decoded):
        return decoded.upper()
    return decoded


def _read(text: str, encoding: str) -> str:
    out = decode(text, encoding)
    return out if encoding == UNICODE else restore_case(text, out)


@lru_cache(maxsize=65536)  # registers repeat the same names, places and levels row after row
def readings(text: str) -> dict[str, tuple[str, int]]:
    """Each encoding's reading of `text` and its penalty."""
    out = {}
    for enc in ENCODINGS:
        r = _read(text, enc)
        out[enc] = (r, penalty(r))
    return out


def _best(text: str) -> str:
    """The encoding that reads this one cell best (ties: Unicode, then the shorter reading, then TCVN3)."""
    if not legacy_possible(text):
        return UNICODE
    rs = readings(text)
    return min(ENCODINGS, key=lambda e: (rs[e][1], e != UNICODE, len(rs[e][0]), ENCODINGS.index(e)))


@lru_cache(maxsize=65536)
def to_unicode(text: str) -> str:
    """NFC Unicode Vietnamese from one cell that may be TCVN3, VNI, or decomposed Unicode, judged on its own.
    For a column of cells use `decide`/`convert_column`: a column knows more than a cell."""
    if not text:
        return text
    nfc = unicodedata.normalize("NFC", text)
    if nfc.isascii():
        return nfc
    return readings(text)[_best(text)][0]


def detect(text: str) -> str:
    """'unicode', 'tcvn3' or 'vni': which reading `to_unicode` chose for one cell."""
    if not text or unicodedata.normalize("NFC", text).isascii():
        return UNICODE
    return _best(text)


# --- columns ---------------------------------------------------------------------------------------------


@dataclass
class Column:
    """What was decided for one column: the encoding, how many cells read differently on strong evidence, and a
    few samples (before → after) to show the user."""

    encoding: str = UNICODE
    cells: int = 0  # cells with letters outside ASCII
    overrides: int = 0
    samples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.encoding]


_LEGACY_CHARS = {c for b in range(0x80, 0x100) for c in _cell_chars(b)} | {chr(b) for b in range(1, 0x20)}


def legacy_possible(text: str) -> bool:
    """Whether the cell could hold legacy bytes at all: a letter outside Windows-1252 (ễ, ị, ư…), or a combining
    mark, can only be Unicode."""
    return all(c.isascii() or c in _LEGACY_CHARS for c in text)


def decide(values) -> Column:
    """The encoding of a column. Cells that can only be Unicode vote Unicode; each other cell votes for a legacy
    encoding when one reads it strictly better than Unicode, else for Unicode. The legacy encodings win only with
    more votes; between them, the lower total penalty decides."""
    cells = [v for v in dict.fromkeys(values) if isinstance(v, str) and v and not v.isascii()]
    col = Column(cells=len(cells))
    totals: Counter = Counter()
    legacy_votes = unicode_votes = 0
    for v in cells:
        if not legacy_possible(v):
            unicode_votes += 1
            continue
        rs = readings(v)
        for enc, (_, p) in rs.items():
            totals[enc] += p
        if min(rs[TCVN3][1], rs[VNI][1]) < rs[UNICODE][1]:
            legacy_votes += 1
        else:
            unicode_votes += 1
    if legacy_votes > unicode_votes:
        col.encoding = min((TCVN3, VNI), key=lambda e: (totals[e], ENCODINGS.index(e)))
    return col


def convert(value: str, col: Column) -> str:
    """One cell of a decided column, NFC. It departs from the column's encoding only when its own best reading
    is flawless and the column's reading of it is clearly not (penalty 3 or more)."""
    if not value or value.isascii():
        return value
    if not legacy_possible(value):
        return unicodedata.normalize("NFC", value)
    rs = readings(value)
    out, p = rs[col.encoding]
    if p >= 3:
        best = _best(value)
        if rs[best][1] == 0:
            col.overrides += 1
            out = rs[best][0]
    if len(col.samples) < 3 and out != value and (value, out) not in col.samples:
        col.samples.append((value, out))
    return out


def convert_column(values, encoding: str | None = None) -> tuple[Column, list]:
    """Decide (or take the user's `encoding`) and convert every cell; non-text cells pass through."""
    col = decide(values) if encoding is None else Column(encoding=encoding)
    return col, [convert(v, col) if isinstance(v, str) else v for v in values]
