"""Seed the shared vocabulary of work streams (every instance has it; later ones are added the same way)."""

from django.db import migrations


def seed(apps, schema_editor):
    from foodcommons.knowledge.domain.vocabulary import WORK_STREAMS

    WorkStream = apps.get_model("knowledge", "WorkStream")
    for position, (slug, fr, nl, en) in enumerate(WORK_STREAMS):
        WorkStream.objects.update_or_create(slug=slug, defaults={"name_fr": fr, "name_nl": nl, "name_en": en, "position": position})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
