from django.urls import path

from vivier.social import views

app_name = "social"

urlpatterns = [
    path("discover/", views.discover, name="discover"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/react/", views.post_react, name="post_react"),
    path("posts/<int:post_id>/share/", views.post_share, name="post_share"),
    path("posts/<int:post_id>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("communities/", views.community_list, name="communities"),
    path("communities/new/", views.community_new, name="community_new"),
    path("communities/<slug:slug>/", views.community_detail, name="community"),
    path("communities/<slug:slug>/edit/", views.community_edit, name="community_edit"),
    path(
        "communities/<slug:slug>/membership/",
        views.community_membership,
        name="community_membership",
    ),
    path("communities/<slug:slug>/members/", views.community_members, name="community_members"),
    path("tags/<str:name>/", views.tag_detail, name="tag"),
    path("follow/<str:kind>/<str:key>/", views.follow_toggle, name="follow"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read_all, name="notifications_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
