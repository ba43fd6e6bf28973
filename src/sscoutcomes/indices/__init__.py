"""Composite indices built from the measures (CRISS, activity, severity, classification)."""
