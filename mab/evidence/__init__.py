"""Evidence: the sources behind each indicator, each indicator's data status, citations in
findings and the coverage dashboard (issue 19)."""
