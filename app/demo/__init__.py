"""Demo data for trying OurChoice locally: `flask --app wsgi demo seed`.

Idempotent: every record is looked up by a natural key first (people by email, brokers by
their user), so running it again creates nothing and changes nothing. Never loaded in
production (the command refuses).
"""

from app.demo.seeder import DEMO_PASSWORD
from app.demo.whole_demo import seed

__all__ = ["DEMO_PASSWORD", "seed"]
