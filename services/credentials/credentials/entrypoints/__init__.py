"""HTTP routes and pages."""
