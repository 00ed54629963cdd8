"""The audit chain sealed in batches (workflow/audit/log.py, docs/decisions.md).

An event may now wait for its place in the chain: `seq` may be empty, and one partial index finds the
waiting events. The events already logged keep their places and hashes: nothing of theirs changes, so
a log that verified before verifies after. The chain head row is made here so that a transaction never
has to create it while others skip it.

PostgreSQL: the append-only trigger allows one update — a waiting event given its place (`seq` filled,
`prev_hash` and `hash` set, every other column as it was); any other UPDATE, and every DELETE, is still
refused. SQLite rebuilds the table to make `seq` nullable, which drops its trigger: it is made again
(SQLite never has a waiting event: it lets one writer in at a time).
"""

from django.db import migrations, models

PG_SEALING = """
CREATE OR REPLACE FUNCTION workflow_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash'])
           = (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash']) THEN
        RETURN NEW;  -- a waiting event placed in the chain
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_STRICT = """
CREATE OR REPLACE FUNCTION workflow_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS workflow_auditevent_no_update BEFORE UPDATE ON workflow_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;
"""


def triggers_forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_SEALING, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def triggers_backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_STRICT, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def make_head(apps, schema_editor):
    head_model = apps.get_model("workflow", "AuditChainHead")
    event_model = apps.get_model("workflow", "AuditEvent")
    if not head_model.objects.filter(pk=1).exists():
        last = event_model.objects.filter(seq__isnull=False).order_by("-seq").first()
        head_model.objects.create(pk=1, seq=last.seq if last else 0, hash=last.hash if last else "0" * 64)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_audit_checkpoints")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, unique=True, verbose_name="số thứ tự"
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="workflow_audit_waiting"
            ),
        ),
        migrations.RunPython(triggers_forward, triggers_backward),
        migrations.RunPython(make_head, migrations.RunPython.noop),
    ]
