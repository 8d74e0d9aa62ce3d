"""Consultation meetings: scheduling, calendar invitations, RSVP, roll call and minutes."""
