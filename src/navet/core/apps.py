from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "navet.core"
    label = "core"
