"""Search over the whole local database: enterprises, contacts, visits, notes and projects.

``text`` turns text into index tokens, ``index_schema`` keeps the FTS5 index inside the
database, ``service`` answers the search palette and ``matching`` the list filters.
(Nothing is imported here: the database engine imports ``text`` while it is itself imported.)
"""
