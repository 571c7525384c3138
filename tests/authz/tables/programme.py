"""Who may call the programme endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "programme:home": {"GET": "anon,off:login *:200"},
    "programme:domains": {"GET": "anon,off:login *:200"},
    "programme:domain_new": {"GET": "hr:200 anon,off:login *:403"},
    "programme:domain_edit": {"GET": "hr:200 anon,off:login *:403"},
    "programme:nominate": {"GET": "anon,off:login *:200"},
    "programme:nomination": {"GET": "owner,manager,hr:200 anon,off:login *:404"},
    "programme:opinion": {
        "GET": "anon,off:login *:405",
        "POST": "owner,manager,hr:400 anon,off:login *:404",
    },
    "programme:review": {
        "GET": "anon,off:login *:405",
        "POST": "owner,manager,hr:400 anon,off:login *:404",
    },
    "programme:decide": {
        "GET": "anon,off:login *:405",
        "POST": "owner,manager,hr:400 anon,off:login *:404",
    },
    "programme:withdraw": {
        "GET": "anon,off:login *:405",
        "POST": "owner,hr:302 manager:400 anon,off:login *:404",
    },
    "programme:reopen": {
        "GET": "anon,off:login *:405",
        "POST": "hr:302 owner,manager:400 anon,off:login *:404",
    },
    "programme:evidence_add": {
        "GET": "anon,off:login *:405",
        "POST": "owner,manager,hr:400 anon,off:login *:404",
    },
    "programme:evidence_remove": {
        "GET": "anon,off:login *:405",
        "POST": "owner,manager,hr:302 anon,off:login *:404",
    },
    "programme:directory": {"GET": "anon,off:login *:200"},
    "programme:time": {"GET": "anon,off:login *:200"},
    "programme:visibility_add": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "programme:paths": {"GET": "anon,off:login *:200"},
    "programme:path_enrol": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "programme:step_done": {
        "GET": "anon,off:login *:405",
        "POST": "owner:302 anon,off:login *:404",
    },
    "programme:step_validate": {
        "GET": "anon,off:login *:405",
        "POST": "manager:302 anon,off:login *:404",
    },
    "programme:events": {"GET": "anon,off:login *:200"},
    "programme:event_new": {"GET": "anon,off:login *:200"},
    "programme:events_ics": {"GET": "anon,off:login *:200"},
    "programme:event": {"GET": "anon,off:login *:200"},
    "programme:event_register": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "programme:event_ics": {"GET": "anon,off:login *:200"},
    "programme:hr": {"GET": "hr:200 anon,off:login *:403"},
    "programme:budget_set": {"GET": "anon,off:login *:405", "POST": "hr:302 anon,off:login *:403"},
    "programme:award_revoke": {
        "GET": "anon,off:login *:405",
        "POST": "hr:302 anon,off:login *:403",
    },
}

API = {
    "GET /api/v1/programme/domains": "anon,off:401 *:200",
    "POST /api/v1/programme/domains": "anon,off:401 *:422",
    "GET /api/v1/programme/nominations": "anon,off:401 *:200",
    "POST /api/v1/programme/nominations": "anon,off:401 *:422",
    "GET /api/v1/programme/nominations/{nomination_id}": "owner,manager,hr:200 anon,off:401 *:404",
    "POST /api/v1/programme/nominations/{nomination_id}/opinion": "anon,off:401 *:422",
    "POST /api/v1/programme/nominations/{nomination_id}/reviews": "anon,off:401 *:422",
    "POST /api/v1/programme/nominations/{nomination_id}/decision": "anon,off:401 *:422",
    "POST /api/v1/programme/nominations/{nomination_id}/withdraw": "owner,hr:200 anon,off:401 "
    "manager:403 *:404",
    "POST /api/v1/programme/nominations/{nomination_id}/reopen": "hr:200 anon,off:401 "
    "owner,manager:403 *:404",
    "POST /api/v1/programme/nominations/{nomination_id}/evidence": "anon,off:401 *:422",
    "DELETE /api/v1/programme/nominations/{nomination_id}/evidence/{evidence_id}": "owner,hr:204 "
    "anon,off:401 "
    "manager:403 *:404",
    "GET /api/v1/programme/experts": "anon,off:401 *:200",
    "GET /api/v1/programme/awards": "anon,off:401 *:200",
    "POST /api/v1/programme/awards/{award_id}/revoke": "anon,off:401 *:422",
    "GET /api/v1/programme/time": "anon,off:401 *:200",
    "POST /api/v1/programme/time": "anon,off:401 *:422",
    "PUT /api/v1/programme/people/{person_id}/budget": "anon,off:401 *:422",
    "GET /api/v1/programme/events": "anon,off:401 *:200",
    "POST /api/v1/programme/events": "anon,off:401 *:422",
    "POST /api/v1/programme/events/{event_id}/registration": "anon,off:401 *:201",
    "DELETE /api/v1/programme/events/{event_id}/registration": "anon,off:401 *:409",
    "GET /api/v1/programme/paths": "anon,off:401 *:200",
    "GET /api/v1/programme/enrolments": "anon,off:401 *:200",
    "POST /api/v1/programme/paths/{path_id}/enrolments": "anon,off:401 *:422",
    "POST /api/v1/programme/enrolments/{enrolment_id}/steps/{step_id}/done": "anon,off:401 "
    "manager:403 owner:409 "
    "*:404",
    "POST /api/v1/programme/progress/{progress_id}/validate": "manager:200 anon,off:401 owner:403 "
    "*:404",
    "GET /api/v1/programme/dashboard": "hr:200 anon,off:401 *:403",
}
