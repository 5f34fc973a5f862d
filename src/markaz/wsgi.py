import os

from django.core.wsgi import get_wsgi_application

from markaz.collector import startup_set_aside

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "markaz.settings")
application = get_wsgi_application()
# Django and the apps live as long as the process: see markaz.collector.
startup_set_aside()
