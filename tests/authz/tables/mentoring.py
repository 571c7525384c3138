"""Who may call the mentoring endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "mentoring:home": {"GET": "anon,off:login *:200"},
    "mentoring:offer": {"GET": "anon,off:login *:200"},
    "mentoring:request": {"GET": "anon,off:login *:200"},
    "mentoring:suggestions": {"GET": "anon,off:login *:200"},
    "mentoring:mentors": {"GET": "anon,off:login *:200"},
    "mentoring:ask": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "mentoring:mentorship": {"GET": "owner,member:200 anon,off:login *:404"},
    "mentoring:mentorship_action": {
        "GET": "anon,off:login *:405",
        "POST": "owner,member:302 anon,off:login *:404",
    },
    "mentoring:programmes": {"GET": "anon,off:login *:200"},
    "mentoring:programme_new": {"GET": "hr:200 anon,off:login *:404"},
    "mentoring:programme": {"GET": "hr:200 anon,off:login *:404"},
    "mentoring:programme_action": {
        "GET": "anon,off:login *:405",
        "POST": "hr:302 anon,off:login *:404",
    },
}

API = {
    "GET /api/v1/mentoring/offer": "owner:200 anon,off:401 *:404",
    "PUT /api/v1/mentoring/offer": "anon,off:401 *:422",
    "GET /api/v1/mentoring/request": "anon,off:401 *:404",
    "PUT /api/v1/mentoring/request": "anon,off:401 *:422",
    "GET /api/v1/mentoring/suggestions": "anon,off:401 *:200",
    "GET /api/v1/mentoring/mentors": "anon,off:401 *:422",
    "GET /api/v1/mentoring/mentorships": "anon,off:401 *:200",
    "POST /api/v1/mentoring/mentorships": "anon,off:401 *:422",
    "GET /api/v1/mentoring/mentorships/{mentorship_id}": "owner,member:200 anon,off:401 *:404",
    "POST /api/v1/mentoring/mentorships/{mentorship_id}/accept": "anon,off:401 member:403 owner:409 "
    "*:404",
    "POST /api/v1/mentoring/mentorships/{mentorship_id}/decline": "anon,off:401 member:403 owner:409 "
    "*:404",
    "POST /api/v1/mentoring/mentorships/{mentorship_id}/end": "owner,member:200 anon,off:401 *:404",
    "PUT /api/v1/mentoring/mentorships/{mentorship_id}/goals": "anon,off:401 *:422",
    "POST /api/v1/mentoring/mentorships/{mentorship_id}/sessions": "anon,off:401 *:422",
    "POST /api/v1/mentoring/mentorships/{mentorship_id}/notes": "anon,off:401 *:422",
    "POST /api/v1/mentoring/mentorships/{mentorship_id}/feedback": "anon,off:401 *:422",
    "GET /api/v1/mentoring/programmes": "anon,off:401 *:200",
    "POST /api/v1/mentoring/programmes": "anon,off:401 *:422",
    "GET /api/v1/mentoring/programmes/{programme_id}": "hr:200 anon,off:401 *:404",
    "POST /api/v1/mentoring/programmes/{programme_id}/assign": "hr:200 anon,off:401 *:404",
    "PUT /api/v1/mentoring/programmes/{programme_id}/assignments/{mentee_id}": "anon,off:401 *:422",
    "POST /api/v1/mentoring/programmes/{programme_id}/publish": "anon,off:401 hr:409 *:404",
    "POST /api/v1/mentoring/programmes/{programme_id}/close": "anon,off:401 hr:409 *:404",
}
