"""Exchange formats: calendar files, CSV import presets, workspace JSON."""
