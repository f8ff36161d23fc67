"""The shared shape of a rejected value and lazy translatable messages."""

from __future__ import annotations

from django.utils.functional import lazy


def _interpolate(template, params):
    return str(template) % params


# Interpolate when the message is rendered, so it follows the language active at that moment.
_lazy_interpolate = lazy(_interpolate, str)


def lazy_message(template, **params):
    """Return ``template % params`` as a lazy, translatable string."""
    return _lazy_interpolate(template, params)


class ValueRejected(ValueError):
    """A rejected value, with a stable machine ``code``, a translatable ``message`` and the ``value`` as typed."""

    def __init__(self, code: str, message, value: str):
        super().__init__(code, message, value)
        self.code = code
        self.message = message
        self.value = value

    def __str__(self) -> str:
        return str(self.message)
