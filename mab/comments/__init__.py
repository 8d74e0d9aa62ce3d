"""Comments on circulated versions, their disposition, the matrix and participation."""
