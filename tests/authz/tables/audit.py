"""Who may call the audit endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "audit:log": {"GET": "it:200 anon,off:login *:403"},
    "audit:export": {"GET": "it:200 anon,off:login *:403"},
}

API = {}
