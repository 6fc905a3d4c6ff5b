# RelativeLink becomes NetworkMember: the same table data, renamed, with name/contact fields
# and an optional login (only some members have one).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="relativelink", name="relative_unique"),
        migrations.RenameModel(old_name="RelativeLink", new_name="NetworkMember"),
        migrations.AlterModelOptions(
            name="networkmember",
            options={"ordering": ["citizen", "id"], "verbose_name": "person i netværket", "verbose_name_plural": "netværk"},
        ),
        migrations.AddField(
            model_name="networkmember",
            name="name",
            field=models.CharField(blank=True, max_length=150, verbose_name="navn"),
        ),
        migrations.AddField(
            model_name="networkmember",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="e-mail"),
        ),
        migrations.AddField(
            model_name="networkmember",
            name="phone",
            field=models.CharField(blank=True, max_length=20, verbose_name="telefon"),
        ),
        migrations.AddField(
            model_name="networkmember",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="networkmember",
            name="citizen",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="network", to="citizens.citizen"),
        ),
        migrations.AlterField(
            model_name="networkmember",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="network_memberships",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="networkmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)), fields=("citizen", "user"), name="network_member_unique_user"
            ),
        ),
    ]
