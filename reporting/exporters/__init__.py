"""Exporters: the computed grid and the form layout in, file bytes out. No ORM in here."""
