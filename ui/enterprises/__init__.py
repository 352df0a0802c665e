"""The enterprise library (企业库) and the enterprise dossier."""
