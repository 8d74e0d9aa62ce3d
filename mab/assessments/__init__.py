"""Assessments, their members and roles, and the home page."""
