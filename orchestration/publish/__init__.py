"""Publication: the audited candidate becomes the release (write–audit–publish), with its exports."""
