"""The database refuses to remove read records (DELETE, and TRUNCATE on PostgreSQL) and to change them, with one
exception: the seal job sets `seal_seq` once, from empty to the seq of its chain entry, and changes nothing else."""

from django.db import migrations

TABLE = "audit_readrecord"
CONTENT = ["id", "created_at", "actor_id", "actor_alias", "event", "target_type", "target_id", "extra", "ip", "hash"]

SQLITE = [
    f"CREATE TRIGGER audit_read_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the read log is append-only'); END;",
    f"CREATE TRIGGER audit_read_seal_only BEFORE UPDATE ON {TABLE} "
    "WHEN OLD.seal_seq IS NOT NULL OR NEW.seal_seq IS NULL OR "
    + " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in CONTENT)
    + " BEGIN SELECT RAISE(ABORT, 'the read log is append-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_read_no_delete;", "DROP TRIGGER IF EXISTS audit_read_seal_only;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_read_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           IF OLD.seal_seq IS NULL AND NEW.seal_seq IS NOT NULL
              AND (to_jsonb(NEW) - 'seal_seq') = (to_jsonb(OLD) - 'seal_seq') THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'the read log is append-only';
       END; $$;""",
    f"CREATE TRIGGER audit_read_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_read_refuse_change();",
    f"CREATE TRIGGER audit_read_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_read_refuse_change();",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_read_no_update_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_read_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_read_refuse_change();",
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
        raise RuntimeError(f"the read log needs append-only triggers; {vendor} is not supported")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE_REVERSE if vendor == "sqlite" else POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_read_records")]
    operations = [migrations.RunPython(forwards, backwards)]
