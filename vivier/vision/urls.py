"""Vision map pages."""

from django.urls import path

from vivier.vision import views

app_name = "vision"

urlpatterns = [
    path("vision/", views.vision_map, name="map"),
    path("vision/statement/", views.statement_edit, name="statement"),
    path("vision/axes/new/", views.axis_edit, name="axis_new"),
    path("vision/axes/<int:axis_id>/edit/", views.axis_edit, name="axis_edit"),
    path("vision/objectives/new/", views.objective_new, name="objective_new"),
    path("vision/objectives/<int:objective_id>/", views.objective_detail, name="objective"),
    path("vision/objectives/<int:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path(
        "vision/objectives/<int:objective_id>/indicators/",
        views.indicator_new,
        name="indicator_new",
    ),
    path("vision/indicators/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path("vision/links/<slug:kind>/<int:object_id>/", views.item_links, name="links"),
    path("vision/links/<int:link_id>/delete/", views.link_delete, name="link_delete"),
    path("vision/me/", views.my_part, name="me"),
    path("vision/coverage/", views.coverage, name="coverage"),
]
