"""A finding's scope becomes the id of a FindingScope row, its fingerprint the first 16 bytes of the SHA-256.

The (scope, fingerprint) key shrinks from ~110 bytes to ~25, and every import writes one entry of
it per new finding at a random place (docs/vulns.md, "How it is fast"). A stored fingerprint (the
SHA-256 hex) keeps its first half as bytes: re-imports still recognise every stored finding.
Backwards, the old columns get the scope's key and the 32 hex digits kept: the schema comes back,
but the old code's fingerprints (64 digits) no longer match, so a downgraded database's findings
are new again at their next import.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models

_CHUNK = 20_000


def _short(text: str) -> bytes:
    if len(text) == 64:
        try:
            return bytes.fromhex(text[:32])
        except ValueError:
            pass
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]  # not an import's fingerprint


def _fill(apps, schema_editor):
    finding = apps.get_model("vulns", "Finding")
    scope = apps.get_model("vulns", "FindingScope")
    keys = list(finding.objects.values_list("scope", flat=True).distinct())
    scope.objects.bulk_create([scope(key=key) for key in keys], batch_size=1000)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE vulns_finding SET scope_ref_id = "
            "(SELECT s.id FROM vulns_findingscope s WHERE s.key = vulns_finding.scope)"
        )
        last = 0
        while True:
            cursor.execute(
                "SELECT id, fingerprint FROM vulns_finding WHERE id > %s ORDER BY id LIMIT %s", [last, _CHUNK]
            )
            rows = cursor.fetchall()
            if not rows:
                break
            cursor.executemany(
                "UPDATE vulns_finding SET fingerprint_bytes = %s WHERE id = %s",
                [(_short(fp), pk) for pk, fp in rows],
            )
            last = rows[-1][0]
        if schema_editor.connection.vendor == "postgresql":
            # the new foreign keys are checked now: PostgreSQL alters no table with checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _unfill(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    hexadecimal = "encode(fingerprint_bytes, 'hex')" if postgres else "lower(hex(fingerprint_bytes))"
    key = "(SELECT s.key FROM vulns_findingscope s WHERE s.id = vulns_finding.scope_ref_id)"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE vulns_finding SET scope = {key}, fingerprint = {hexadecimal}")  # noqa: S608 - fixed SQL


class Migration(migrations.Migration):
    dependencies = [("vulns", "0011_findings_version")]

    operations = [
        migrations.CreateModel(
            name="FindingScope",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=300, unique=True)),
            ],
        ),
        migrations.AddField(
            model_name="finding",
            name="scope_ref",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="vulns.findingscope",
            ),
        ),
        migrations.AddField(model_name="finding", name="fingerprint_bytes", field=models.BinaryField(null=True)),
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(model_name="finding", name="vulns_finding_scope_fp"),
        migrations.RunPython(migrations.RunPython.noop, _unfill, elidable=False),
        migrations.RemoveField(model_name="finding", name="scope"),
        migrations.RemoveField(model_name="finding", name="fingerprint"),
        migrations.RenameField(model_name="finding", old_name="scope_ref", new_name="scope"),
        migrations.RenameField(model_name="finding", old_name="fingerprint_bytes", new_name="fingerprint"),
        migrations.AlterField(
            model_name="finding",
            name="scope",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="vulns.findingscope",
            ),
        ),
        migrations.AlterField(model_name="finding", name="fingerprint", field=models.BinaryField(max_length=16)),
        migrations.AddConstraint(
            model_name="finding",
            constraint=models.UniqueConstraint(fields=("scope", "fingerprint"), name="vulns_finding_scope_fp"),
        ),
    ]
