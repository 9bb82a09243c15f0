"""Discipline was a free-text line of the member's CV that the evaluation read. Each such line becomes a discipline
record in force (marked `legacy`: the deciding body was never recorded), linked to its line, so the evaluation
(which now reads the records) judges the same members disciplined in the same periods. The form is read from the
line's words when it names one (khiển trách, cảnh cáo, cách chức, khai trừ); else reprimand, the lightest."""

from django.db import migrations

from dangvu.core.text import search_key

WORDS = [("khai tru", "expulsion"), ("cach chuc", "removal"), ("canh cao", "warning"), ("khien trach", "reprimand")]
GRAVITY = {"reprimand": "reprimand", "warning": "warning", "removal": "warning", "expulsion": "expulsion"}


def forward(apps, schema_editor):
    ProfileEntry = apps.get_model("members", "ProfileEntry")
    Discipline = apps.get_model("inspection", "Discipline")
    Membership = apps.get_model("members", "Membership")
    batch = []
    for e in ProfileEntry.objects.filter(kind="discipline").select_related("member__org__type").iterator(chunk_size=2000):
        m = e.member
        org = m.org
        if org is None:  # never placed: the organisation of the member's last stay
            ms = Membership.objects.filter(member=m).select_related("organisation").order_by("-valid_from").first()
            if ms is None:
                continue
            org = ms.organisation
        key = search_key(e.description)
        form = next((f for w, f in WORDS if w in key), "reprimand")
        batch.append(Discipline(
            organisation_id=org.pk, org_path=org.path, body="cell" if org.type.kind == "cell" else "committee",
            subject_member_id=m.pk, subject_path=m.org_path or org.path, conduct=e.description or "(chuyển từ lý lịch)",
            conduct_from=e.start, gravity=GRAVITY[form], state="decided", form=form, decided_on=e.start,
            announced_on=e.start, number=e.decision_number, legacy=True, cv_entry_id=e.pk,
            outcome_note="Chuyển từ dòng kỷ luật của lý lịch đảng viên"))  # fmt: skip
        if len(batch) >= 2000:
            Discipline.objects.bulk_create(batch)
            batch = []
    Discipline.objects.bulk_create(batch)


def backward(apps, schema_editor):
    apps.get_model("inspection", "Discipline").objects.filter(legacy=True).delete()


class Migration(migrations.Migration):
    dependencies = [("inspection", "0002_indexes_and_rules"), ("members", "0006_training_course"),
                    ("organizations", "0005_pending_authority")]  # fmt: skip
    operations = [migrations.RunPython(forward, backward)]
