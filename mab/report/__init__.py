"""The assessment report (issue 20): assembled from validated findings, the chapters, the
validated recommendations, the sources and the annex; shown on screen and in print, exported as
DOCX and as open data."""
