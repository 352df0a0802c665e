"""Reading enterprise lists from spreadsheets (.xlsx/.xlsm/.csv): sheets, header detection,
column mapping, cell normalisation and per-row validation. No database, no Qt.

``app.services.enterprise_import`` puts what is read here into the database.
"""
