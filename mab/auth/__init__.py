"""Accounts, sign-in, sessions and invitations."""
