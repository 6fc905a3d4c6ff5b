"""The API tokens moved from rest_framework.authtoken (clear-text keys that never expired)
to django-rest-knox (hashed, expiring; its own migrations create ``knox_authtoken``).

The old tokens are dropped, not converted: a clear key cannot become a knox token without
keeping it usable forever, and every client must log in again anyway to pass the second
factor. This drops the ``authtoken_token`` table where an older installation has it; the
app is no longer installed, so nothing else would."""

from django.db import migrations

OLD_TABLE = "authtoken_token"


def drop_old_tokens(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if OLD_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
        # Forget the old app's migrations so a later reinstall would start clean.
        schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_i11audit_audit_search"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(drop_old_tokens, migrations.RunPython.noop)]
