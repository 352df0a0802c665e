"""The change history of one record: who changed what, when, from what to what."""
