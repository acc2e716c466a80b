from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "navet.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from navet.core import sqlite
        from navet.core.middleware import limit_session_lifetime

        sqlite.connect()
        # Every way of logging in (allauth, the admin, an invitation, tests) caps the session.
        user_logged_in.connect(limit_session_lifetime, dispatch_uid="navet-session-lifetime")
