"""Render: a plan to HTML (Jinja2, autoescaped, translated), QR codes, the calendar (.ics)."""
