from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "navet.core"
    label = "core"

    def ready(self) -> None:
        from navet.core import sqlite

        sqlite.connect()
