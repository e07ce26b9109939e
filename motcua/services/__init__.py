"""Writes of the dossier app: one module per part of the lifecycle (intake, transitions)."""
