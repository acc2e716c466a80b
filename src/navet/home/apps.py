from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "navet.home"
    verbose_name = "Start page and profile"
