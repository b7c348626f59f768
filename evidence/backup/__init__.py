"""Backups that restore (`manage.py backup` / `restore`): the whole site's rows and files
in one ZIP, and back again.

The archive holds

- ``manifest.json``: the date, the app version, the migration state, the row count of
  every table, and the SHA-256 and size of every other member;
- ``data/<app>.<model>.json``: one fixture per model, in ``loaddata``'s own format;
- ``files/<name>``: every file a row points at (evidence, thumbnails, finished
  reports), read through the default storage, so S3 works as well as a folder.

It moves between databases (a unit's SQLite instance restores into PostgreSQL):
primary keys are kept, so every relation comes back as it was, and only content
types and permissions, whose ids are those each database's ``migrate`` gave them,
are referred to by natural key. It lives in the evidence layer, the lowest one that
sees every table, though it names none of the project's models: it backs up whatever
is installed, bar the few tables of NOT_BACKED_UP.
"""
