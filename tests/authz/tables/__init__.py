"""Expected statuses, one module per app: `HTML` rows keyed by route name then method, `API`
rows keyed by "METHOD /api/v1/path". See tests/authz/test_matrix.py for the format."""
