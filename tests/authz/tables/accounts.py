"""Who may call the accounts endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "accounts:login": {"GET": "anon,off:200 *:302"},
    "accounts:logout": {"GET": "anon,off:login *:405", "POST": "*:login"},
    "accounts:settings": {"GET": "anon,off:login *:200"},
    "accounts:set_language": {"GET": "*:405", "POST": "*:302"},
    "accounts:tokens": {"GET": "anon,off:login *:200", "POST": "anon,off:login *:422"},
    "accounts:token_revoke": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "accounts:password_change": {"GET": "anon,off:login *:200"},
    "accounts:password_change_done": {
        "GET": "anon,off:login *:200",
        "POST": "anon,off:login *:405",
    },
    "accounts:password_reset": {"GET": "*:200"},
    "accounts:password_reset_done": {"GET": "*:200", "POST": "*:405"},
    "accounts:password_reset_confirm": {"GET": "*:200"},
    "accounts:password_reset_complete": {"GET": "*:200", "POST": "*:405"},
}

API = {}
