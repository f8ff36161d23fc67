from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_defaults(sender, using="default", **kwargs):
    # A fresh install (``plut serve`` and ``plut demo`` migrate first) gets the default programmes;
    # loading is idempotent and never changes a programme the office has edited.
    from plut.programmes.defaults import load_default_programmes

    load_default_programmes(using=using)


class ProgrammesConfig(AppConfig):
    name = "plut.programmes"
    label = "programmes"

    def ready(self):
        post_migrate.connect(_load_defaults, sender=self, dispatch_uid="plut.programmes.load_defaults")
