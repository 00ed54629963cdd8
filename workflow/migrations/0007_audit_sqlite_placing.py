"""Audit events written waiting, chained after commit, on SQLite too (workflow/audit/log.py,
docs/decisions.md "Audit events written in one statement").

Every event is now written waiting and given its place after its transaction commits, so SQLite's
append-only trigger allows the same one update as PostgreSQL's: a waiting event placed in the chain
(`seq` filled, `prev_hash` and `hash` set, every other column as it was). Any other UPDATE is still
refused; DELETE is refused by its own trigger, untouched.
"""

from django.db import migrations

KEPT = (
    "id",
    "at",
    "kind",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_unit",
    "object_type",
    "object_id",
    "nomination_id",
    "transition",
    "from_state",
    "to_state",
    "comment",
    "data",
)
SQLITE_DROP = "DROP TRIGGER IF EXISTS workflow_auditevent_no_update;"
SQLITE_PLACING = f"""
CREATE TRIGGER workflow_auditevent_no_update BEFORE UPDATE ON workflow_auditevent
WHEN NOT (OLD.seq IS NULL AND NEW.seq IS NOT NULL AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)})
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;
"""
SQLITE_STRICT = """
CREATE TRIGGER workflow_auditevent_no_update BEFORE UPDATE ON workflow_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
        schema_editor.execute(SQLITE_PLACING)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
        schema_editor.execute(SQLITE_STRICT)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0006_viewflow_refs_follow_process_package")]

    operations = [migrations.RunPython(forward, backward)]
