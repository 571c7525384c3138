"""Who may call the integration endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "integration:oidc_start": {"GET": "*:404"},
    "integration:oidc_callback": {"GET": "*:400", "POST": "*:405"},
    "integration:home": {"GET": "hr,it:200 anon,off:login *:403"},
    "integration:scim_tokens": {
        "GET": "it:200 anon,off:login *:403",
        "POST": "it:422 anon,off:login *:403",
    },
    "integration:scim_token_revoke": {
        "GET": "anon,off:login *:405",
        "POST": "it:302 anon,off:login *:403",
    },
    "integration:hr_import": {
        "GET": "hr:200 anon,off:login *:403",
        "POST": "hr:422 anon,off:login *:403",
    },
}

API = {}
