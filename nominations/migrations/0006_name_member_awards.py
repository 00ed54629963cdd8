from django.db import migrations


def name_member_awards(apps, schema_editor):
    """The old fields meant LĐTT and CSTĐCS: name those awards where a rule set them."""
    Award = apps.get_model("nominations", "Award")
    AwardRule = apps.get_model("nominations", "AwardRule")
    ldtt = Award.objects.filter(code="LDTT").first()
    cstdcs = Award.objects.filter(code="CSTDCS").first()
    if ldtt:
        AwardRule.objects.filter(min_member_share__isnull=False).update(member_award=ldtt)
    if cstdcs:
        AwardRule.objects.filter(min_member_distinctions__gt=0).update(member_distinction=cstdcs)


class Migration(migrations.Migration):
    """Apart from 0005: PostgreSQL refuses the indexes 0005 creates at its end in a transaction that has
    already updated rows ("pending trigger events")."""

    dependencies = [("nominations", "0005_collective_members")]

    operations = [migrations.RunPython(name_member_awards, migrations.RunPython.noop)]
