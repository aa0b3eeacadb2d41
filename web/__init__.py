"""The search site: a Flask app factory with an HTML blueprint and an ``/api`` blueprint."""
