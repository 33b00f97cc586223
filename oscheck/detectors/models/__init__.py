"""Models: declared and referenced models, their Hub metadata and the safety of their weight files."""
