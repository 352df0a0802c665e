"""Importing enterprise lists from Excel/CSV: the wizard and the list of past imports."""
