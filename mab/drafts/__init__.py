"""Draft findings, their versions, attachments and circulation to the board."""
