"""Triggers that raise a round's figures revision (models.FiguresRevision) in the same transaction
as every write to what its figures are counted from.

Created by migration 0008 and made sure of again after every migration (apps.py, post_migrate):
SQLite rebuilds a table to alter it, and a rebuilt table has lost its triggers.
"""

# Tables holding a round_id raise that round's number; the rest raise scope 0, which every round's key
# includes. A table the figures come to read is added here (tests/recommendations/test_figures_cache.py
# fails until it is); its trigger is made at the next migrate.
PER_ROUND = [
    "recommendations_statusupdate",
    "recommendations_themecoding",
    "recommendations_notablepractice",
    "recommendations_reminder",
    # A force's granted extension moves its due date in the chase list.
    "recommendations_extension",
    "recommendations_round_recommendations",
    "recommendations_round_forces_asked",
    # Not counted in the figures, but listed beside them on the dashboard and cached with them.
    "recommendations_snapshot",
    # Who follows the round, and with the digest or not: shown beside the figures, cached with them.
    "recommendations_roundfollow",
]
ALL_ROUNDS = [
    "recommendations_round",
    "recommendations_report",
    "recommendations_recommendation",
    "recommendations_theme",
    "forces_force",
    "forces_forcemembership",
    # Not counted in the figures: the milestones not yet done are read and cached with them (the
    # dashboard's overdue milestones). A milestone belongs to no round, so its write raises them all.
    "recommendations_milestone",
]
# Users: only what the chase list shows (a sign-in writes last_login, which changes no figure).
USER_TABLE, USER_COLUMNS = "auth_user", "username, email, is_active"
REVISION = "recommendations_figuresrevision"

POSTGRESQL_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION figures_revision_raise_round() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {REVISION} (scope, number) SELECT DISTINCT round_id, 1 FROM changed_rows
        ON CONFLICT (scope) DO UPDATE SET number = {REVISION}.number + 1;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION figures_revision_raise_all() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {REVISION} (scope, number) VALUES (0, 1)
        ON CONFLICT (scope) DO UPDATE SET number = {REVISION}.number + 1;
        RETURN NULL;
    END $$
    """,
]


# Each write, and the rows a trigger reads the round from after it.
EVENTS = (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))


def postgresql_triggers(per_round: list[str], all_rounds: list[str]) -> list[str]:
    """Once per statement: a bulk insert of 300,000 answers raises each round's number once."""
    statements = []
    for table in per_round:
        for event, rows in EVENTS:
            statements.append(
                f"CREATE OR REPLACE TRIGGER figures_revision_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {rows} TABLE AS changed_rows FOR EACH STATEMENT "
                "EXECUTE FUNCTION figures_revision_raise_round()"
            )
    for table in all_rounds:
        statements.append(
            f"CREATE OR REPLACE TRIGGER figures_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION figures_revision_raise_all()"
        )
    statements.append(
        f"CREATE OR REPLACE TRIGGER figures_revision AFTER INSERT OR DELETE OR UPDATE OF {USER_COLUMNS} ON {USER_TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION figures_revision_raise_all()"
    )
    return statements


def _sqlite_trigger(name: str, event: str, table: str, scope: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} BEGIN "
        f"INSERT OR IGNORE INTO {REVISION} (scope, number) VALUES ({scope}, 0); "
        f"UPDATE {REVISION} SET number = number + 1 WHERE scope = {scope}; END"
    )


def sqlite_triggers(per_round: list[str], all_rounds: list[str]) -> list[str]:
    """SQLite has row triggers only: the same numbers, raised once per row."""
    statements = []
    for table in per_round:
        for event, rows in EVENTS:
            statements.append(
                _sqlite_trigger(f"figures_revision_{table}_{event.lower()}", event, table, f"{rows}.round_id")
            )
    for table in all_rounds:
        for event, _ in EVENTS:
            statements.append(_sqlite_trigger(f"figures_revision_{table}_{event.lower()}", event, table, "0"))
    for event in ("INSERT", "DELETE", f"UPDATE OF {USER_COLUMNS}"):
        name = f"figures_revision_{USER_TABLE}_{event.split()[0].lower()}"
        statements.append(_sqlite_trigger(name, event, USER_TABLE, "0"))
    return statements


def create_triggers(apps, schema_editor):
    triggers_ensure(schema_editor.connection)


def triggers_ensure(connection) -> None:
    """Create every trigger that is missing (safe to run again: each statement replaces or skips)."""
    vendor = connection.vendor
    tables = set(connection.introspection.table_names())
    if REVISION not in tables:
        return
    # Only tables that exist yet: migration 0008 runs before later tables are made.
    per_round = [table for table in PER_ROUND if table in tables]
    all_rounds = [table for table in ALL_ROUNDS if table in tables]
    if vendor == "postgresql":
        statements = POSTGRESQL_FUNCTIONS + postgresql_triggers(per_round, all_rounds)
    elif vendor == "sqlite":
        statements = sqlite_triggers(per_round, all_rounds)
    else:
        raise NotImplementedError(f"No figures revision triggers for {vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for table in PER_ROUND:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS figures_revision_{event} ON {table}")
        for table in ALL_ROUNDS + [USER_TABLE]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS figures_revision ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_revision_raise_round()")
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_revision_raise_all()")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'figures_revision_%'")
            names = [row[0] for row in cursor.fetchall()]
        for name in names:
            schema_editor.execute(f"DROP TRIGGER {name}")
