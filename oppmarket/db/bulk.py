"""Bulk loading of pre-built rows (the demo organisation and scale data).

Rows arrive as dicts keyed by model field names, with their primary keys already
assigned, so a child row names its parent's id without a round trip. Each table is
written with batched `insert_many` inside one transaction: a load either lands whole
or leaves the database as it was. Keys starting with "_" are the generator's own
bookkeeping and are not written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence

import peewee

from oppmarket.db.models import MODELS, Employee, Opportunity
from oppmarket.db.schema import is_cockroach
from oppmarket.errors import Conflict

Progress = Callable[[str, int, int], None]

# SQLite since 3.32 accepts 32,766 bound parameters per statement; older builds 999.
SQLITE_MAX_PARAMS = 32_766
SQLITE_OLD_MAX_PARAMS = 999
# Past a few hundred rows a bigger statement no longer pays for itself, and smaller
# batches keep the progress callback lively.
MAX_BATCH_ROWS = 1_000
LOAD_CACHE_KIB = 256 * 1024

STAGE_LABELS = {
    "department": "departments",
    "employee": "people",
    "skill": "skills",
    "skill_alias": "skill aliases",
    "employee_skill": "skill profiles",
    "interest": "interests",
    "key_role": "key roles",
    "key_role_skill": "key-role skills",
    "opportunity": "opportunities",
    "opportunity_skill": "opportunity skills",
    "learning_step": "learning steps",
    "application": "applications",
    "step_progress": "learning progress",
    "endorsement": "endorsements",
    "core_work_answer": "core-work answers",
    "notification": "notifications",
    "exposure": "recommendations shown",
    "saved_search": "saved searches",
    "audit_event": "audit log",
}


def _max_params(db: peewee.Database) -> int:
    if isinstance(db, peewee.SqliteDatabase):
        import sqlite3

        return SQLITE_MAX_PARAMS if sqlite3.sqlite_version_info >= (3, 32) else SQLITE_OLD_MAX_PARAMS
    return 60_000  # PostgreSQL's wire protocol limit is 65,535


def _uses_sequences(db: peewee.Database) -> bool:
    """True for PostgreSQL proper. CockroachDB fills SERIAL columns with
    unique_rowid() instead of a sequence, so there is nothing to reset there."""
    return isinstance(db, peewee.PostgresqlDatabase) and not is_cockroach(db)


def reset_sequences(db: peewee.Database, models: Sequence[type[peewee.Model]] = MODELS) -> None:
    """Point each table's id sequence past its highest id, so ordinary inserts
    after a load with explicit ids do not collide (PostgreSQL only; a no-op
    elsewhere)."""
    if not _uses_sequences(db):
        return
    for model in models:
        pk = model._meta.primary_key
        if not isinstance(pk, peewee.AutoField):
            continue
        table, column = model._meta.table_name, pk.column_name
        # is_called=false with MAX+1 also covers an empty table (next id is 1).
        db.execute_sql(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), '
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
            (f'"{table}"', column),
        )


def write_rows(db: peewee.Database, tables: Sequence[tuple[str, Sequence[dict]]], *,
               progress: Progress | None = None) -> dict[str, int]:
    """Insert `tables` — (table name, rows) pairs, parents before children — into
    an empty database in one transaction; return the rows written per table.

    Raises Conflict, writing nothing, when the database already holds people or
    opportunities (explicit ids would collide with theirs).
    """
    models = {model._meta.table_name: model for model in MODELS}
    unknown = [name for name, _ in tables if name not in models]
    if unknown:
        raise ValueError(f"no model for table(s) {', '.join(unknown)}")
    opened = db.is_closed()
    if opened:
        db.connect()
    written: dict[str, int] = {}
    try:
        # The models render each statement in their database's dialect, so they
        # must be bound to this one for the load.
        with db.bind_ctx(MODELS, bind_refs=False, bind_backrefs=False), _large_cache(db):
            with db.atomic():
                if Employee.select().exists() or Opportunity.select().exists():
                    raise Conflict("the database already holds data; bulk loads go only into an empty one")
                for name, rows in tables:
                    written[name] = _insert_table(db, models[name], rows, STAGE_LABELS.get(name, name), progress)
                reset_sequences(db, [models[name] for name, _ in tables])
                # Committing a large load takes a noticeable moment of its own.
                if progress:
                    progress("saving", 0, 1)
            if progress:
                progress("saving", 1, 1)
    finally:
        if opened and not db.in_transaction():
            db.close()
    return written


@contextlib.contextmanager
def _large_cache(db: peewee.Database):
    """On SQLite, give the load a large page cache: every row also lands in a few
    indexes in no particular order, and the default 2 MB cache makes those index
    pages go back and forth to disk."""
    if not isinstance(db, peewee.SqliteDatabase):
        yield
        return
    previous = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql(f"PRAGMA cache_size = {-LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(previous)}")


def _insert_table(db: peewee.Database, model: type[peewee.Model], rows: Sequence[dict],
                  label: str, progress: Progress | None) -> int:
    total = len(rows)
    if progress:
        progress(label, 0, total)
    fields, values = column_values(model, rows)
    for done, sql, params in _insert_batches(db, model, fields, values):
        db.execute_sql(sql, params)
        if progress:
            progress(label, done, total)
    return total


def column_values(model: type[peewee.Model], rows: Sequence[dict]) -> tuple[list[peewee.Field], list[tuple]]:
    """The fields `rows` (dicts keyed by field name, all with the same keys) fill, and
    each row's values as the database takes them. A field the rows leave out gets its
    default, as peewee would add it. This part of an insert needs no transaction, so a
    caller can do it before taking the write lock."""
    if not rows:
        return [], []
    columns = [key for key in rows[0] if not key.startswith("_")]
    defaults = {name: field.default() if callable(field.default) else field.default
                for name, field in model._meta.fields.items()
                if name not in columns and field.default is not None}
    if defaults:
        rows = [{**defaults, **row} for row in rows]
        columns += list(defaults)
    fields = [model._meta.fields[key] for key in columns]
    converters = [field.db_value for field in fields]
    return fields, [tuple(convert(row[key]) for convert, key in zip(converters, columns)) for row in rows]


def _insert_batches(db: peewee.Database, model: type[peewee.Model], fields: Sequence[peewee.Field],
                    values: Sequence[tuple], returning: bool = False) -> Iterator[tuple[int, str, list]]:
    """(rows done, SQL, parameters) of each batched INSERT of `values` (converted, one
    tuple per row, in the order of `fields`), with RETURNING the primary key when
    `returning`."""
    if not values:
        return
    size = max(1, min(MAX_BATCH_ROWS, _max_params(db) // len(fields)))
    # peewee builds a node per value while rendering an INSERT, which costs far
    # more than the database's own work at scale. So `insert_many` renders the
    # statement once per batch shape, and every batch of that shape binds its
    # converted values to the same SQL text.
    statements: dict[int, str] = {}
    for start in range(0, len(values), size):
        batch = values[start:start + size]
        sql = statements.get(len(batch))
        if sql is None:
            query = model.insert_many(batch, fields=list(fields))
            query = query.returning(model._meta.primary_key) if returning else query.returning()
            sql, params = query.sql()
            if len(params) != len(batch) * len(fields):
                raise RuntimeError(f"unexpected INSERT shape for {model._meta.table_name}")
            statements[len(batch)] = sql
        yield start + len(batch), sql, [value for row in batch for value in row]


def _ids_follow_row_order(db: peewee.Database) -> bool:
    """True where one multi-row INSERT ... RETURNING gives rows ids that grow in the
    order of its VALUES: SQLite 3.35 and later (a new rowid is one past the largest)
    and PostgreSQL (one sequence, drawn row by row). Neither promises the order in
    which RETURNING hands them back, so the caller sorts them."""
    if isinstance(db, peewee.SqliteDatabase):
        import sqlite3

        return sqlite3.sqlite_version_info >= (3, 35)
    return _uses_sequences(db)


def insert_values(db: peewee.Database, model: type[peewee.Model], fields: Sequence[peewee.Field],
                  values: Sequence[tuple], *, returning: bool = False) -> list[int]:
    """Insert rows already converted by `column_values`, a batch per statement, inside
    the caller's transaction. With `returning`, return their new ids in the order of
    `values` (else an empty list)."""
    if not returning:
        for _, sql, params in _insert_batches(db, model, fields, values):
            db.execute_sql(sql, params)
        return []
    if not _ids_follow_row_order(db):
        # One row a statement; the values are converted already, so peewee must not
        # convert them again.
        return [model.insert({field: peewee.Value(value, unpack=False) for field, value in zip(fields, row)}).execute()
                for row in values]
    ids: list[int] = []
    for _, sql, params in _insert_batches(db, model, fields, values, returning=True):
        ids += sorted(row[0] for row in db.execute_sql(sql, params).fetchall())
    if len(ids) != len(values):
        raise RuntimeError(f"{len(values)} rows went into {model._meta.table_name} but {len(ids)} ids came back")
    return ids


def insert_new(db: peewee.Database, model: type[peewee.Model], rows: Sequence[dict]) -> list[int]:
    """Insert `rows` (dicts keyed by field name, all with the same keys, no primary
    key) inside the caller's transaction; return their new ids in the order of `rows`."""
    return insert_values(db, model, *column_values(model, rows), returning=True)


def insert_rows(db: peewee.Database, model: type[peewee.Model], rows: Sequence[dict]) -> int:
    """Insert `rows` (dicts keyed by field name, all with the same keys) inside the
    caller's transaction; return how many."""
    insert_values(db, model, *column_values(model, rows))
    return len(rows)


def update_rows(db: peewee.Database, model: type[peewee.Model], fields: Sequence[peewee.Field],
                changes: Iterable[tuple]) -> None:
    """Set `fields` of many rows, each to its own values: `changes` holds (primary key,
    value of each field) tuples. One statement, prepared once and run for every row,
    so the cost is the database's and not peewee's rendering of each UPDATE."""
    pk = model._meta.primary_key
    ctx = db.get_sql_context()
    assignments = peewee.CommaNodeList([
        peewee.NodeList((peewee.Entity(field.column_name), peewee.SQL("="), peewee.SQL(db.param)))
        for field in fields])
    sql, _ = ctx.sql(peewee.NodeList((
        peewee.SQL("UPDATE"), peewee.Entity(model._meta.table_name), peewee.SQL("SET"), assignments,
        peewee.SQL("WHERE"), peewee.Entity(pk.column_name), peewee.SQL("="), peewee.SQL(db.param)))).query()
    converters = [field.db_value for field in fields]
    params = [(*(convert(value) for convert, value in zip(converters, values)), pk.db_value(key))
              for key, *values in changes]
    if params:
        db.cursor().executemany(sql, params)
