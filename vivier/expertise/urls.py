"""Q&A and "who knows" pages."""

from django.urls import path

from vivier.expertise import views

app_name = "expertise"

urlpatterns = [
    path("questions/", views.question_list, name="questions"),
    path("questions/new/", views.question_new, name="question_new"),
    path("questions/suggest/", views.question_suggest, name="question_suggest"),
    path("questions/<int:question_id>/", views.question_detail, name="question"),
    path("questions/<int:question_id>/answers/", views.answer_add, name="answer_add"),
    path("questions/<int:question_id>/comments/", views.question_comment, name="question_comment"),
    path("questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("answers/<int:answer_id>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<int:answer_id>/delete/", views.answer_delete, name="answer_delete"),
    path("answers/<int:answer_id>/accept/", views.answer_accept, name="answer_accept"),
    path("answers/<int:answer_id>/vote/", views.answer_vote, name="answer_vote"),
    path("experts/", views.experts, name="experts"),
]
