"""viewflow keeps the flow class and each task as strings ("app/module.Class[.task]"): follow the move of
workflow/flows.py into workflow/process/ (issue #18). Written by relayout.py (relayout: viewflow references)."""  # relayout: keep

from django.db import migrations

OLD = "workflow/flows."  # relayout: keep
NEW = "workflow/process.flows."

COLUMNS = (("viewflow", "Process", "flow_class"), ("viewflow", "Task", "flow_task"))


def _rewrite(apps, schema_editor, old: str, new: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        for app_label, model_name, field in COLUMNS:
            table = apps.get_model(app_label, model_name)._meta.db_table
            q = schema_editor.quote_name
            cursor.execute(
                f"UPDATE {q(table)} SET {q(field)} = %s || SUBSTR({q(field)}, %s) "
                f"WHERE SUBSTR({q(field)}, 1, %s) = %s",
                [new, len(old) + 1, len(old), old],
            )


def forwards(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0005_audit_batched_sealing"),
        ("viewflow", "__first__"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
