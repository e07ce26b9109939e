"""Supplement requests list their items with counts (NĐ 118/2025 Điều 19 khoản 5, TT 03/2025
form 02): the items stored as bare names become rows {name, originals, certified_copies,
photocopies} with no counts (None: not stated then). The issuing agency of the supplement
requests and apologies already recorded is the dossier's competent agency."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    SupplementRequest = apps.get_model("motcua", "SupplementRequest")
    Apology = apps.get_model("motcua", "Apology")
    Dossier = apps.get_model("motcua", "Dossier")
    for request in SupplementRequest.objects.only("pk", "items").iterator():
        if any(not isinstance(item, dict) for item in request.items):
            request.items = [
                item
                if isinstance(item, dict)
                else {"name": str(item), "originals": None, "certified_copies": None, "photocopies": None}
                for item in request.items
            ]
            request.save(update_fields=["items"])
    competent = Subquery(Dossier.objects.filter(pk=OuterRef("dossier_id")).values("competent_agency_id")[:1])
    SupplementRequest.objects.filter(issuing_agency__isnull=True).update(issuing_agency_id=competent)
    Apology.objects.filter(issuing_agency__isnull=True).update(issuing_agency_id=competent)


def backwards(apps, schema_editor):
    SupplementRequest = apps.get_model("motcua", "SupplementRequest")
    for request in SupplementRequest.objects.only("pk", "items").iterator():
        request.items = [item["name"] if isinstance(item, dict) else item for item in request.items]
        request.save(update_fields=["items"])


class Migration(migrations.Migration):
    dependencies = [("motcua", "0016_law_in_force_nd118")]

    operations = [migrations.RunPython(forwards, backwards)]
