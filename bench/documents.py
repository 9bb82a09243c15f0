"""Document registers benchmark on PostgreSQL: `make bench-documents` (SCALE=province: one province of 100
communes and 7,500 cells).

Loads with COPY the registers of the province: DOCS documents (200,000 by default), two thirds outgoing and one
third incoming, spread over the province committee, its communes and their cells across five years, with
subjects drawn from a committee's real topics, signers, senders, numbers, and the text of the signed file on a
fifth of them. Then times the searches an office types (without diacritics) on the whole province's registers
through the real selectors, first page and count as the page shows them: a rare word, a phrase, a common word,
a number, the text inside the files; and a commune's own register. Bar: each search under 200 ms (median).
Prints the median and p95 and the EXPLAIN of one search.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from django.contrib.auth import get_user_model
from django.db import connection
from run import SCALES, generate, report, timed  # bench/run.py: sets up Django

from dangvu.core import dates
from dangvu.core.text import search_key
from dangvu.documents import selectors as sel
from dangvu.organizations.models import Organisation

BAR_MS = 200
TOPICS = [
    "học tập, quán triệt nghị quyết Đại hội Đảng toàn quốc", "kiểm tra việc thu, nộp đảng phí", "phát triển đảng viên",
    "đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên", "sinh hoạt chi bộ định kỳ", "tổ chức đại hội chi bộ",
    "công tác dân vận", "xây dựng nông thôn mới", "phòng, chống tham nhũng, lãng phí", "kỷ niệm ngày thành lập Đảng",
    "bầu cử đại biểu Hội đồng nhân dân", "chuyển đổi số trong công tác đảng", "cải cách hành chính",
    "bảo vệ nền tảng tư tưởng của Đảng", "công tác cán bộ và quy hoạch", "phát triển kinh tế nông nghiệp",
    "an ninh trật tự trên địa bàn", "giảm nghèo bền vững", "phòng chống thiên tai, bão lũ", "văn hóa cơ sở",
    "công tác bảo vệ chính trị nội bộ", "chế độ báo cáo định kỳ", "thi hành kỷ luật đảng viên vi phạm",
    "giới thiệu đảng viên về sinh hoạt nơi cư trú", "thẩm định hồ sơ kết nạp đảng viên", "sắp xếp tổ chức bộ máy",
]
TYPES = [("KH", "Kế hoạch"), ("BC", "Báo cáo"), ("CV", "Về việc"), ("TB", "Thông báo"), ("QĐ", "Quyết định về"),
         ("NQ", "Nghị quyết về"), ("HD", "Hướng dẫn"), ("CTr", "Chương trình")]  # fmt: skip
SENDERS = ["Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
           "Ủy ban nhân dân xã", "Đảng ủy xã", "Mặt trận Tổ quốc xã", "Hội Nông dân xã"]  # fmt: skip
NAMES = ["Nguyễn Văn Đức", "Trần Thị Lan", "Hoàng Văn Bình", "Lò Thị Hoa", "Phạm Minh Tuấn", "Vũ Thị Hằng"]
FILE_TEXT = ("căn cứ điều lệ đảng quy định hướng dẫn thực hiện ban chấp hành đảng bộ chi bộ đảng viên tổ chức "
             "triển khai nghiêm túc kết quả hạn chế nguyên nhân giải pháp nhiệm vụ trọng tâm thời gian tới")
FILE_WORDS = FILE_TEXT.split(" ")


def load(total: int) -> dict[str, int]:
    rng = random.Random(21)  # noqa: S311
    root = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
    orgs = list(Organisation.objects.filter(path__startswith=root.path).values_list("id", "path", "type__kind"))
    committees = [o for o in orgs if o[2] != "cell"]
    cells = [o for o in orgs if o[2] == "cell"]
    today = dates.today()
    now = dt.datetime.now(dt.UTC)
    n_out, n_in = total * 2 // 3, total - total * 2 // 3
    counters: dict[tuple, int] = {}
    arrivals: dict[tuple, int] = {}

    def issuer():
        return rng.choice(committees) if rng.random() < 0.6 else rng.choice(cells)

    def file_text() -> str:
        return " ".join(rng.choice(FILE_WORDS) for _ in range(60)) if rng.random() < 0.2 else ""

    with connection.cursor() as cur:
        cur.execute("TRUNCATE documents_outgoing, documents_incoming RESTART IDENTITY CASCADE")
        with cur.cursor.copy("COPY documents_outgoing (organisation_id, org_path, doc_type, body, series, number, "
                             "symbol, issued_on, origin, subject, signer, recipients, classification, status, "
                             "void_reason, file, file_sha256, file_kind, file_name, file_text, search_text, created_at) "
                             "FROM STDIN") as copy:  # fmt: skip
            for _ in range(n_out):
                oid, path, kind = issuer()
                t, label = rng.choice(TYPES)
                on = today - dt.timedelta(days=rng.randint(0, 5 * 365))
                key = (oid, t)  # no terms in the bench tree: one sequence per type
                counters[key] = counters.get(key, 0) + 1
                symbol = f"{counters[key]:02d}-{t}/{'CB' if kind == 'cell' else 'ĐU'}"
                subject = f"{label} {rng.choice(TOPICS)} năm {on.year}"
                signer, recipients, text = rng.choice(NAMES), "Các chi bộ trực thuộc; Lưu VP", file_text()
                copy.write_row((oid, path, t, "org", "", counters[key], symbol, on, "registry", subject, signer,
                                recipients, "", "issued", "", "", "", "", "", text,
                                search_key(" ".join([symbol, subject, signer, recipients, text])), now))  # fmt: skip
        with cur.cursor.copy("COPY documents_incoming (organisation_id, org_path, year, arrival_number, received_on, "
                             "sender, their_number, their_date, doc_type, subject, classification, urgency, handler, "
                             "due_on, status, outcome, file, file_sha256, file_kind, file_name, file_text, "
                             "search_text, created_at) FROM STDIN") as copy:  # fmt: skip
            for _ in range(n_in):
                oid, path, _kind = issuer()
                on = today - dt.timedelta(days=rng.randint(0, 5 * 365))
                key = (oid, on.year)
                arrivals[key] = arrivals.get(key, 0) + 1
                t, label = rng.choice(TYPES)
                sender, number = rng.choice(SENDERS), f"{rng.randint(1, 900)}-{t}/TU"
                subject = f"{label} {rng.choice(TOPICS)}"
                handler, text = rng.choice(NAMES), file_text()
                done = on < today - dt.timedelta(days=30)
                copy.write_row((oid, path, on.year, arrivals[key], on, sender, number, on - dt.timedelta(days=2), t,
                                subject, "", "", handler, on + dt.timedelta(days=15), "done" if done else "handling",
                                "Đã xử lý" if done else "", "", "", "", "", text,
                                search_key(" ".join([str(arrivals[key]), number, sender, subject, handler, text])),
                                now))  # fmt: skip
        cur.execute("ANALYZE documents_outgoing")
        cur.execute("ANALYZE documents_incoming")
    return {"outgoing": n_out, "incoming": n_in}


def page(user, org, q: str, incoming: bool = False, subtree: bool = True):
    """What the register page computes: the first 50 matches and their count."""
    qs = (sel.incoming if incoming else sel.outgoing)(user, org, q=q, subtree=subtree)
    return list(qs[:50]), qs.count()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=SCALES, default="province")
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    assert connection.vendor == "postgresql", "benchmarks run on PostgreSQL (make bench-documents)"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    n_orgs = generate(*SCALES[args.scale])
    print(f"scale={args.scale}: {n_orgs:,} organisations in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    counts = load(args.docs)
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" loaded in {time.perf_counter() - t0:.1f} s")
    admin, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    province = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
    commune = Organisation.objects.filter(parent=province).order_by("path").first()
    searches = [
        ("a topic: «tham nhung»", "tham nhung", False),
        ("phrase: «danh gia xep loai chat luong»", "danh gia xep loai chat luong", False),
        ("common word: «ke hoach»", "ke hoach", False),
        ("a number: «12-kh»", "12-kh", False),
        ("inside the files: «nguyen nhan giai phap»", "nguyen nhan giai phap", False),
        ("incoming, sender: «uy ban kiem tra tinh uy»", "uy ban kiem tra tinh uy", True),
        ("no match: «khong co van ban nao»", "khong co van ban nao", False),
    ]
    for label, q, inc in searches:
        rows, n = page(admin, province, q, inc)
        print(f"{label}: {n:,} matches")
    ops = [(f"province search, {label}", lambda q=q, inc=inc: page(admin, province, q, inc)) for label, q, inc in searches]
    ops += [("province register, no search, first page", lambda: page(admin, province, "")),
            ("one commune's own register, «ke hoach»", lambda: page(admin, commune, "ke hoach", subtree=False))]  # fmt: skip
    report(ops, args.repeat)
    worst = max(sorted(timed(fn, args.repeat))[args.repeat // 2] for _, fn in ops)
    qs = sel.outgoing(admin, province, q="danh gia xep loai chat luong", subtree=True)[:50]
    print("\nEXPLAIN a province search, first page:\n" + qs.explain(analyze=True, buffers=True))
    if args.docs >= 200_000:
        print(f"\nbar: every search under {BAR_MS} ms — slowest median {worst:.0f} ms: "
              f"{'PASS' if worst < BAR_MS else 'FAIL'}")  # fmt: skip
        if worst >= BAR_MS:
            sys.exit(1)


if __name__ == "__main__":
    main()
