"""assessments feature."""
