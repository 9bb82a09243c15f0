"""The numbers issued before the register existed become its entries: the organisation's path (for subtree
lists), where they came from (a meeting's minutes or resolution; otherwise inspection, the only other issuer),
a subject, and the search text. The numbers themselves are kept as they were."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

from dangvu.core.text import search_key

KINDS = {"regular": "sinh hoạt thường kỳ", "thematic": "sinh hoạt chuyên đề"}
LABELS = {"NQ": "Nghị quyết", "BB": "Biên bản", "QĐ": "Quyết định", "KL": "Kết luận", "TB": "Thông báo",
          "BC": "Báo cáo", "CTr": "Chương trình"}  # fmt: skip


def fill(apps, schema_editor):
    Outgoing = apps.get_model("documents", "Outgoing")
    Organisation = apps.get_model("organizations", "Organisation")
    Outgoing.objects.update(org_path=Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id"))
                                              .values("path")[:1]))  # fmt: skip
    Outgoing.objects.filter(meeting__isnull=True).update(origin="inspection")
    Outgoing.objects.filter(series="UBKT").update(body="commission")
    batch, last = [], 0
    while True:
        rows = list(Outgoing.objects.filter(pk__gt=last).select_related("meeting").order_by("pk")[:2000])
        if not rows:
            break
        for o in rows:
            label = LABELS.get(o.doc_type, o.doc_type)
            if o.meeting_id:
                o.origin = "meeting"
                o.subject = f"{label} {KINDS.get(o.meeting.kind, '')} ngày {o.meeting.date:%d/%m/%Y}"
            else:
                o.subject = f"{label} về kiểm tra, kỷ luật (xem tại mục Kiểm tra)"
            o.search_text = search_key(f"{o.symbol} {o.subject}")
            batch.append(o)
        Outgoing.objects.bulk_update(batch, ["origin", "subject", "search_text"])
        batch, last = [], rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_register_fields"), ("meetings", "0008_alter_doctemplate_doc_type")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
