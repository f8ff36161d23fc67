"""Fast bulk inserts for large writes: PostgreSQL ``COPY``, SQLite ``executemany``.

Django's ``bulk_create`` builds a model instance per row and an ``INSERT … VALUES`` statement with
every value prepared through the field machinery; for the registry import that is most of the run
time (see benchmarks/README.md). :class:`BulkInserter` writes plain tuples instead:

- on PostgreSQL with ``COPY table (columns) FROM STDIN`` (psycopg 3 ``cursor.copy``);
- on SQLite with one ``executemany`` of a prepared ``INSERT``.

Values are converted once per column with the field's own database preparation where the Python
value is not already what the database stores (dates, times, decimals: ``get_db_prep_save``;
JSON: ``json.dumps`` with the field's encoder; :class:`~plut.core.crypto.EncryptedTextField`:
encrypted by its ``get_prep_value``), so what lands in the table is what ``save()`` would write.
No model signals are sent and ``full_clean()`` is not called: callers insert values they have
already validated (the import's normaliser) — exactly what ``bulk_create`` does too.

Primary keys a caller needs before inserting (to point other rows at them) come from
:meth:`BulkInserter.allocate_ids`: the table's identity sequence on PostgreSQL (safe under
concurrency), and on SQLite the next values after both ``MAX(id)`` and ``sqlite_sequence`` (an
``AUTOINCREMENT`` table never reuses an id); on SQLite the caller must already hold the write lock
(have written in the current transaction), which serialises writers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection, models
from django.utils import timezone

from plut.core.crypto import EncryptedTextField

# Fields whose Python value the drivers take as is (str, int, bool, None).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.AutoField,
    models.BigAutoField,
)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """Return the function turning a Python value into the value written, or None for identity."""
    if isinstance(field, EncryptedTextField):
        return field.get_prep_value
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def dump(value: Any) -> str | None:
            return None if value is None else json.dumps(value, cls=encoder)

        return dump
    if isinstance(field, (models.ForeignKey, *_PLAIN)):
        return None
    if connection.vendor == "postgresql" and isinstance(
        field, models.DateField | models.DecimalField
    ):  # psycopg writes date, aware datetime and Decimal values as they are (DateTimeField ⊂ DateField)
        return None

    def prep(value: Any) -> Any:
        return None if value is None else field.get_db_prep_save(value, connection)

    return prep


class BulkInserter:
    """Insert rows of one model's table, every concrete column written.

    Build each row with :meth:`row` (keyword values by field name or ``<fk>_id``; every other
    column takes the field's default, ``auto_now``/``auto_now_add`` columns the time of
    :meth:`insert`), then write a list of them with :meth:`insert`. ``with_id=True`` means rows
    carry their primary key (``row(id=…)``, ids from :meth:`allocate_ids`); otherwise the database
    assigns it. Raises ``KeyError`` for an unknown field name in :meth:`row`. Database errors (a
    violated constraint) propagate as Django's ``IntegrityError``.
    """

    def __init__(self, model: type[models.Model], *, with_id: bool = False):
        self.model = model
        self.table = model._meta.db_table
        self.with_id = with_id
        pk = model._meta.pk
        fields = [f for f in model._meta.concrete_fields if with_id or f is not pk]
        self.columns = [f.column for f in fields]
        self._index: dict[str, int] = {}
        for i, f in enumerate(fields):
            self._index[f.name] = i
            self._index[f.attname] = i
        if with_id:
            self._index["id"] = self._index[pk.attname]
        self._defaults = [
            None if f is pk else (f.get_default() if f.has_default() else _blank(f)) for f in fields
        ]
        self._now_cols = [
            i
            for i, f in enumerate(fields)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self._conv_of = {i: c for i, f in enumerate(fields) if (c := _converter(f)) is not None}
        self._convs = list(self._conv_of.items())
        qn = connection.ops.quote_name
        col_sql = ", ".join(qn(c) for c in self.columns)
        self._copy_sql = f"COPY {qn(self.table)} ({col_sql}) FROM STDIN"
        self._insert_sql = (
            f"INSERT INTO {qn(self.table)} ({col_sql}) VALUES ({', '.join(['%s'] * len(self.columns))})"  # noqa: S608
        )

    def row(self, **values: Any) -> list[Any]:
        """Return one row: the defaults with ``values`` set (keys are field names or attnames)."""
        out = list(self._defaults)
        index = self._index
        for name, value in values.items():
            out[index[name]] = value
        return out

    def allocate_ids(self, n: int) -> list[int]:
        """Return ``n`` new primary keys for this table (see the module docstring for the rules)."""
        if n <= 0:
            return []
        pk_col = self.model._meta.pk.column
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, pk_col, n],
                )
                return [r[0] for r in cur.fetchall()]
            qn = connection.ops.quote_name
            cur.execute(f"SELECT COALESCE(MAX({qn(pk_col)}), 0) FROM {qn(self.table)}")  # noqa: S608
            top = cur.fetchone()[0]
            cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            row = cur.fetchone()
            start = max(top, row[0] if row else 0) + 1
            return list(range(start, start + n))

    def insert(self, rows: list[list[Any]]) -> int:
        """Write ``rows`` made by :meth:`row` (converted in place); return how many were written."""
        if not rows:
            return 0
        now = timezone.now()
        convs = self._convs
        now_cols = [(i, conv(now) if (conv := self._conv_of.get(i)) else now) for i in self._now_cols]
        for row in rows:
            for i, conv in convs:
                row[i] = conv(row[i])
            for i, value in now_cols:
                if row[i] is None:
                    row[i] = value
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # The raw psycopg cursor: wrap its errors into Django's (IntegrityError, …).
                with connection.wrap_database_errors, cur.cursor.copy(self._copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cur.executemany(self._insert_sql, rows)
        return len(rows)


def _blank(field: models.Field) -> Any:
    """The value a field without a default gets when a row does not set it: NULL or empty text."""
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    return None
