"""The database itself refuses to change an audit event (the model refuses too).

PostgreSQL: row triggers refuse UPDATE and DELETE. SQLite: a trigger refuses UPDATE (DELETE stays
possible there because the test runner empties tables between tests with DELETE; PostgreSQL's
runner uses TRUNCATE, which these row triggers do not see). Either way `verify_audit` detects a
change made by someone who disables the triggers.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION workflow_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflow_auditevent_no_update BEFORE UPDATE ON workflow_auditevent
    FOR EACH ROW EXECUTE FUNCTION workflow_auditevent_append_only();
CREATE TRIGGER workflow_auditevent_no_delete BEFORE DELETE ON workflow_auditevent
    FOR EACH ROW EXECUTE FUNCTION workflow_auditevent_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS workflow_auditevent_no_update ON workflow_auditevent;
DROP TRIGGER IF EXISTS workflow_auditevent_no_delete ON workflow_auditevent;
DROP FUNCTION IF EXISTS workflow_auditevent_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS workflow_auditevent_no_update BEFORE UPDATE ON workflow_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS workflow_auditevent_no_update;"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
