import random

from dangvu.core.text import clean, person_sort_key, search_key, sort_key


def test_search_key_folds_diacritics_and_d():
    assert search_key("Nguyễn Văn Đức") == "nguyen van duc"
    assert search_key("  ĐẢNG   bộ  ") == "dang bo"


def test_search_key_handles_decomposed_unicode():
    decomposed = "Nguye\u0302\u0303n"  # NFD: e + circumflex + tilde
    assert search_key(decomposed) == "nguyen"
    assert clean(decomposed) == "Nguyễn"


def test_sort_key_orders_vietnamese_alphabet():
    expected = [
        "An",
        "Anh",
        "Ảnh",
        "Ánh",
        "Ăn",
        "Ân",
        "Ấn",
        "Bình",
        "dao",
        "Dũng",
        "Duy",
        "Dương",
        "đào",
        "Đào",
        "Đặng",
        "E",
        "Én",
        "Ê",
        "On",
        "Ôn",
        "Ơn",
        "Ung",
        "Ưng",
        "Zung",
    ]
    shuffled = expected[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == expected


def test_person_sort_key_orders_by_given_then_middle_then_family_name():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Đỗ Đức Dũng", "Phạm Duy"]
    assert sorted(names, key=person_sort_key) == [
        "Nguyễn Thị An",
        "Lê Văn An",
        "Trần Văn Bình",
        "Đỗ Đức Dũng",
        "Phạm Duy",
    ]
