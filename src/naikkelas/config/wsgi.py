import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.config.settings")
application = get_wsgi_application()
