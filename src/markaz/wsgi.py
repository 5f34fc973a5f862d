import os

from django.core.wsgi import get_wsgi_application

from markaz.core.collector import startup_set_aside

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "markaz.settings")
application = get_wsgi_application()
# Django and the apps live as long as the process: see markaz.core.collector.
startup_set_aside()
