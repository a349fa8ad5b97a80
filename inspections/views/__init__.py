"""Pages of the inspections app (URL namespace "inspections")."""
