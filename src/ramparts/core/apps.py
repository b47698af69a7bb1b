from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ramparts.core"
    label = "core"
    verbose_name = "Ramparts core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from ramparts.core.signals import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)
