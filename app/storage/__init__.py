"""Files kept beside the local database: attachment bytes, content-addressed."""
