"""Synthetic report corpora: neutral report structures rendered into every supported format."""
