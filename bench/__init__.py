"""`python manage.py bench`: the portal's figures at scale, each beside its floor.

seed.py fills a dedicated database fast (COPY on PostgreSQL); measure.py times things;
cases.py holds the measurements. See docs/performance.md.
"""
