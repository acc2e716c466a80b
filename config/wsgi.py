import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the apps, the URL map) lives as long as the process. Freezing
# it keeps Python's full garbage collections from walking it again during requests, which
# otherwise cost some requests tens of milliseconds (measured in bench/README.md), and keeps
# those pages shared between forked workers.
gc.collect()
gc.freeze()
