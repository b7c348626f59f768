"""The SAR as PDF: pure renderers (data in, bytes out) and background report jobs."""
