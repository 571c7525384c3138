"""Who may call the SCIM endpoints: no session or personal API token ever authenticates SCIM (its own bearer tokens do; vivier/integration/tests) (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "scim:service_provider_config": {"GET": "*:401"},
    "scim:resource_types": {"GET": "*:401"},
    "scim:resource_type": {"GET": "*:401"},
    "scim:schemas": {"GET": "*:401"},
    "scim:schema": {"GET": "*:401"},
    "scim:users": {"GET": "*:401"},
    "scim:user_search": {"GET": "*:401"},
    "scim:user": {"GET": "*:401"},
    "scim:groups": {"GET": "*:401"},
    "scim:group_search": {"GET": "*:401"},
    "scim:group": {"GET": "*:401"},
    "scim:search": {"GET": "*:401"},
    "scim:root": {"GET": "*:404"},
    "scim:not_found": {"GET": "*:404"},
}

API = {}
