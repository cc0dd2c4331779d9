"""PDF rendering with reportlab: renderers take plain data and return bytes."""
