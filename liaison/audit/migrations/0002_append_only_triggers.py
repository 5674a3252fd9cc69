"""The database itself refuses to change or remove audit entries (UPDATE, DELETE, and TRUNCATE on PostgreSQL)."""

from django.db import migrations

TABLE = "audit_auditentry"

SQLITE = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;""",
    f"CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_refuse_change();",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES)
    else:
        raise RuntimeError(f"the audit log needs append-only triggers; {vendor} is not supported")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE_REVERSE if vendor == "sqlite" else POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
