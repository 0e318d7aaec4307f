"""Django's database sessions, read with one plain SQL query (SESSION_ENGINE).

Every signed-in request reads its session first; through the ORM, building that one indexed
read costs 0.6 ms of CPU, more than the read itself and about a seventh of a signed-in page
served from the cache (docs/PERFORMANCE.md). Everything else is Django's own backend.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The live session row of this key, or None (and no key, as Django's own does)."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608 - the model's own table
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
