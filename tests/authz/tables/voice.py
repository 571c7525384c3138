"""Who may call the voice endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "voice:home": {"GET": "anon,off:login *:200"},
    "voice:survey_new": {"GET": "hr:200 anon,off:login *:403"},
    "voice:survey": {"GET": "hr:200 anon,off:login *:302", "POST": "hr:422 anon,off:login *:302"},
    "voice:answer": {"GET": "anon,off:login *:200", "POST": "anon,off:login *:422"},
    "voice:results": {"GET": "manager,hr:409 anon,off:login *:403"},
    "voice:ideas": {"GET": "anon,off:login *:200"},
    "voice:idea": {"GET": "anon,off:login *:200"},
    "voice:idea_vote": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "voice:idea_comment": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:422"},
    "voice:idea_status": {"GET": "anon,off:login *:405", "POST": "hr:422 anon,off:login *:403"},
    "voice:idea_owner": {"GET": "anon,off:login *:405", "POST": "hr:422 anon,off:login *:403"},
    "voice:commitments": {"GET": "anon,off:login *:200"},
    "voice:commitment_new": {"GET": "hr:200 anon,off:login *:403"},
    "voice:commitment": {
        "GET": "anon,off:login *:200",
        "POST": "owner,hr:422 anon,off:login *:403",
    },
}

API = {
    "GET /api/v1/voice/question-templates": "anon,off:401 *:200",
    "GET /api/v1/voice/surveys": "anon,off:401 *:200",
    "POST /api/v1/voice/surveys": "anon,off:401 *:422",
    "GET /api/v1/voice/surveys/{survey_id}": "anon,off:401 *:200",
    "POST /api/v1/voice/surveys/{survey_id}/questions": "anon,off:401 hr:409 *:403",
    "POST /api/v1/voice/surveys/{survey_id}/launch": "anon,off:401 hr:409 *:403",
    "POST /api/v1/voice/surveys/{survey_id}/close": "hr:200 anon,off:401 *:403",
    "POST /api/v1/voice/surveys/{survey_id}/responses": "anon,off:401 *:422",
    "GET /api/v1/voice/surveys/{survey_id}/results": "anon,off:401 manager,hr:409 *:403",
    "GET /api/v1/voice/surveys/{survey_id}/trends": "manager,hr:200 anon,off:401 *:403",
    "GET /api/v1/voice/ideas": "anon,off:401 *:200",
    "POST /api/v1/voice/ideas": "anon,off:401 *:422",
    "GET /api/v1/voice/ideas/{idea_id}": "anon,off:401 *:200",
    "PUT /api/v1/voice/ideas/{idea_id}/vote": "owner:400 anon,off:401 *:200",
    "DELETE /api/v1/voice/ideas/{idea_id}/vote": "owner:400 anon,off:401 *:200",
    "POST /api/v1/voice/ideas/{idea_id}/comments": "anon,off:401 *:422",
    "POST /api/v1/voice/ideas/{idea_id}/status": "anon,off:401 *:422",
    "PUT /api/v1/voice/ideas/{idea_id}/owner": "anon,off:401 *:422",
    "GET /api/v1/voice/commitments": "anon,off:401 *:200",
    "POST /api/v1/voice/commitments": "anon,off:401 *:422",
    "GET /api/v1/voice/commitments/{commitment_id}": "anon,off:401 *:200",
    "POST /api/v1/voice/commitments/{commitment_id}/updates": "anon,off:401 *:422",
}
