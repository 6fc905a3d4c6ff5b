"""One active grant version per decision and service, one active order per grant, one draft
assessment per case.

The data are checked first: a database that already holds such duplicates (made by a double
submit before this migration) stops here with the ids to resolve (end or supersede one), as
the constraints could not be created over them. Then the slot rows of every active grant are
written."""

from collections import Counter

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTIVE_ORDER = ["sent", "accepted"]


def check_and_fill(apps, schema_editor):
    Grant = apps.get_model("cases", "Grant")
    Order = apps.get_model("cases", "Order")
    ActiveGrantService = apps.get_model("cases", "ActiveGrantService")
    through = Grant.services.through
    pairs = list(through.objects.filter(grant__status="active").values_list("grant__decision_id", "concept_id", "grant_id"))
    seen = Counter((d, s) for d, s, _ in pairs)
    dup_grants = sorted({g for d, s, g in pairs if seen[(d, s)] > 1})
    orders = Counter(Order.objects.filter(status__in=ACTIVE_ORDER).values_list("grant_id", flat=True))
    dup_orders = sorted(g for g, n in orders.items() if n > 1)
    Assessment = apps.get_model("cases", "Assessment")
    drafts = Counter(Assessment.objects.filter(status="draft").values_list("case_id", flat=True))
    dup_drafts = sorted(c for c, n in drafts.items() if n > 1)
    if dup_grants or dup_orders or dup_drafts:
        raise RuntimeError(
            "Duplicates must be resolved before this migration: active grants sharing a decision and "
            f"service: {dup_grants}; grants with more than one active order: {dup_orders}; "
            f"cases with more than one draft assessment: {dup_drafts}."
        )
    ActiveGrantService.objects.bulk_create(ActiveGrantService(decision_id=d, service_id=s, grant_id=g) for d, s, g in pairs)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_decision_standard_version"),
        ("citizens", "0004_networkmember_kind_circle"),
        ("terminology", "0002_load_ffb"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ActiveGrantService",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ],
        ),
        migrations.AddField(
            model_name="activegrantservice",
            name="decision",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="cases.decision"),
        ),
        migrations.AddField(
            model_name="activegrantservice",
            name="grant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="active_services", to="cases.grant"
            ),
        ),
        migrations.AddField(
            model_name="activegrantservice",
            name="service",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="terminology.concept"),
        ),
        migrations.RunPython(check_and_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["sent", "accepted"])), fields=("grant",), name="order_one_active_per_grant"
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "draft")), fields=("case",), name="assessment_one_draft_per_case"
            ),
        ),
        migrations.AddConstraint(
            model_name="activegrantservice",
            constraint=models.UniqueConstraint(
                fields=("decision", "service"), name="grant_one_active_version_per_decision_service"
            ),
        ),
    ]
