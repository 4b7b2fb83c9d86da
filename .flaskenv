# Read by the `flask` command only (not by gunicorn). Production sets OURCHOICE_ENV=production.
FLASK_APP=wsgi
