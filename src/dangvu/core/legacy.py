"""Vietnamese text from old spreadsheets: TCVN3 (ABC) and VNI typed with legacy fonts, and decomposed Unicode.

Such a cell reaches us as Unicode whose characters are the legacy bytes read as Windows-1252/Latin-1:
TCVN3 `NguyÔn V¨n §øc`, VNI `Nguyeãn Vaên Ñöùc`. `to_unicode` tries each decoding and keeps the candidate
that looks most like Vietnamese (no stray symbols, at most one tone mark per syllable, no capitals inside a
word), so a cell that is already Unicode is left as it is. Result is NFC.

The TCVN3 table is glibc iconv's TCVN5712-1 for bytes A1–FF (TCVN3 is that part of TCVN 5712:1993); the VNI
table follows the VNI Windows layout (a base letter followed by a byte for the diacritics).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_TCVN3_PAIRS = "¡Ă¢Â£Ê¤Ô¥Ơ¦Ư§Đ¨ă©âªê«ô¬ơ\xadư®đ¯Ằ°̀±̉²̃³́´̣µà¶ả·ã¸á¹ạºẲ»ằ¼ẳ½ẵ¾ắ¿ẴÀẮÁẦÂẨÃẪÄẤÅỀÆặÇầÈẩÉẫÊấËậÌèÍỂÎẻÏẽÐéÑẹÒềÓểÔễÕếÖệ×ìØỉÙỄÚẾÛỒÜĩÝíÞịßòàỔáỏâõãóäọåồæổçỗèốéộêờëởìỡíớîợïùðỖñủòũóúôụõừöử÷ữøứùựúỳûỷüỹýýþỵÿỐ"
_TCVN3 = {_TCVN3_PAIRS[i]: _TCVN3_PAIRS[i + 1] for i in range(0, len(_TCVN3_PAIRS), 2)}

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


_OPENING = set("aăâeê")  # in a Vietnamese syllable only a plain i, o, u or y may follow these


def _base(c: str) -> str:
    return unicodedata.normalize("NFD", c.lower())[0]


def _marked(c: str) -> bool:
    return len(unicodedata.normalize("NFD", c)) > 1 or c.lower() in "ăâêôơưđ"


def _penalty(text: str) -> int:
    """Lower is more Vietnamese-like."""
    score = 0
    for word in text.split():
        tones = 0
        for i, c in enumerate(word):
            if i > 0 and _base(c) in "aeiouy" and _marked(c):
                prev = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word[i - 1].lower())[:2])
                if prev[:1] in _OPENING or prev in _OPENING:
                    score += 2
            if (
                c.isalpha()
                and c not in _VI_LETTERS
                or not c.isalnum()
                and c not in "-./,()'\"&:;%+"
                and not c.isspace()
            ):
                score += 2
            if c.isalpha() and i > 0 and c.isupper() and word[i - 1].islower():
                score += 1
            if any(m in _TONES for m in unicodedata.normalize("NFD", c)):
                tones += 1
        score += max(0, tones - 1) * 2
    return score


@lru_cache(maxsize=65536)  # registers repeat the same names, places and levels row after row
def to_unicode(text: str) -> str:
    """NFC Unicode Vietnamese from text that may be TCVN3, VNI, or decomposed Unicode."""
    if not text:
        return text
    nfc = unicodedata.normalize("NFC", text)
    if nfc.isascii():
        return nfc
    best, best_score = nfc, _penalty(nfc)
    if best_score == 0:
        return best
    for candidate in (decode_tcvn3(nfc), decode_vni(nfc)):
        s = _penalty(candidate)
        if s < best_score:
            best, best_score = candidate, s
    return best


def detect(text: str) -> str:
    """'unicode', 'tcvn3' or 'vni': which decoding `to_unicode` chose."""
    result = to_unicode(text)
    nfc = unicodedata.normalize("NFC", text or "")
    if result == nfc:
        return "unicode"
    return "tcvn3" if result == decode_tcvn3(nfc) else "vni"
