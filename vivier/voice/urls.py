"""Employee voice pages."""

from django.urls import path

from vivier.voice import views

app_name = "voice"

urlpatterns = [
    path("voice/", views.home, name="home"),
    path("voice/surveys/new/", views.survey_new, name="survey_new"),
    path("voice/surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("voice/surveys/<int:survey_id>/answer/", views.survey_answer, name="answer"),
    path("voice/surveys/<int:survey_id>/results/", views.survey_results, name="results"),
    path("voice/ideas/", views.ideas, name="ideas"),
    path("voice/ideas/<int:idea_id>/", views.idea_detail, name="idea"),
    path("voice/ideas/<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("voice/ideas/<int:idea_id>/comments/", views.idea_comment, name="idea_comment"),
    path("voice/ideas/<int:idea_id>/status/", views.idea_status, name="idea_status"),
    path("voice/ideas/<int:idea_id>/owner/", views.idea_owner, name="idea_owner"),
    path("voice/commitments/", views.commitments, name="commitments"),
    path("voice/commitments/new/", views.commitment_new, name="commitment_new"),
    path("voice/commitments/<int:commitment_id>/", views.commitment_detail, name="commitment"),
]
