"""The `sosei` command (`python -m orchestration.cli`)."""
