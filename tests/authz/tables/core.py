"""Who may call the core endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {"home": {"GET": "anon,off:login *:200"}, "healthz": {"GET": "*:200"}}

API = {}
