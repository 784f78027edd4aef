"""Seed the kendala categories (a copy of ``kendala.categories.DEFAULT_CATEGORIES``: migrations
do not import application code). Rerunnable: existing codes are left as officers changed them."""

from django.db import migrations

CATEGORIES = (
    ("perizinan", "Perizinan (NIB, PIRT, halal, BPOM)"),
    ("permodalan", "Permodalan"),
    ("pemasaran", "Pemasaran"),
    ("bahan-baku", "Bahan baku"),
    ("kemasan", "Kemasan"),
    ("sdm-pelatihan", "SDM dan pelatihan"),
    ("teknologi-digital", "Teknologi dan digital"),
    ("pajak", "Pajak"),
    ("lainnya", "Lainnya"),
)


def seed(apps, schema_editor):
    category = apps.get_model("kendala", "KendalaCategory")
    db = schema_editor.connection.alias  # the database being migrated, not always "default"
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        category.objects.using(db).get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("kendala", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
