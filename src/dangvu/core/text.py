"""Vietnamese text: the search key (diacritics folded) and the sort key (ICU Vietnamese collation).

The only place in the code base that knows how Vietnamese folds and sorts.
"""

import unicodedata
from functools import lru_cache

import icu

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def clean(text: str) -> str:
    """NFC, single spaces, no leading/trailing blanks: the form every stored name takes."""
    return " ".join(nfc(text).split())


def search_key(text: str) -> str:
    """Lower-case, diacritics removed, đ → d, single spaces: 'Nguyễn Văn Đức' → 'nguyen van duc'."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().translate(_D_MAP).split())


@lru_cache(maxsize=1)
def _collator() -> "icu.Collator":
    return icu.Collator.createInstance(icu.Locale("vi_VN"))


def sort_key(text: str) -> str:
    """ICU Vietnamese collation key as hex: byte order of the key is Vietnamese order, on any database."""
    return _collator().getSortKey(clean(text)).hex()


@lru_cache(maxsize=65536)
def person_sort_key(full_name: str) -> str:
    """Vietnamese order for people: given name, then middle names, then family name."""
    parts = clean(full_name).split(" ")
    if len(parts) > 1:
        parts = [parts[-1], *parts[1:-1], parts[0]]
    # Each part's key ends in a 00 byte, below every letter: "An Văn" sorts before "Anh".
    return "".join(sort_key(p) for p in parts)


def vi_sorted(items, key=lambda x: x):
    return sorted(items, key=lambda x: _collator().getSortKey(clean(key(x))))
