"""Source.organisation becomes a link to the organisation that keeps the list (it was that organisation's slug).

A slug naming no organisation is not lost: it stays in `unmatched_organisation` for staff to resolve, and the source
is kept by platform staff until they do.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_organisations(apps, schema_editor):
    Source = apps.get_model("imports", "Source")
    Organisation = apps.get_model("collaboration", "Organisation")
    by_slug = dict(Organisation.objects.values_list("slug", "pk"))
    for source in Source.objects.exclude(unmatched_organisation=""):
        found = by_slug.get(source.unmatched_organisation)
        if found is not None:
            Source.objects.filter(pk=source.pk).update(organisation_id=found, unmatched_organisation="")


def unlink_organisations(apps, schema_editor):
    Source = apps.get_model("imports", "Source")
    for source in Source.objects.filter(organisation__isnull=False).select_related("organisation"):
        Source.objects.filter(pk=source.pk).update(unmatched_organisation=source.organisation.slug)


class Migration(migrations.Migration):

    dependencies = [
        ("collaboration", "0001_initial"),
        ("imports", "0005_import_job"),
    ]

    operations = [
        migrations.RenameField(model_name="source", old_name="organisation", new_name="unmatched_organisation"),
        migrations.AddField(
            model_name="source",
            name="organisation",
            field=models.ForeignKey(blank=True, help_text="The organisation that keeps this list (none: platform staff only)", null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="sources", to="collaboration.organisation"),
        ),
        migrations.RunPython(link_organisations, unlink_organisations),
        migrations.AlterField(
            model_name="source",
            name="unmatched_organisation",
            field=models.CharField(blank=True, editable=False, help_text="The organisation named before organisations were linked, which matched none",
                                   max_length=200),
        ),
    ]
