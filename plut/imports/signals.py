"""Signals of the registry import.

``batch_committed`` is sent once a commit run of a batch has been written and committed (status
``committed`` or ``partial``), with ``batch`` (an ``ImportBatch``). The import writes with COPY /
executemany (``plut.core.bulk``), which sends no model signal; receivers that keep derived data
(e.g. the monitoring aggregates) read the batch's created and updated enterprises from
``batch.rows``.
"""

from django.dispatch import Signal

batch_committed = Signal()
