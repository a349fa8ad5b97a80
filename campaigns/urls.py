from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_edit, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/delete/", views.campaign_delete, name="delete"),
    path("due-dates/<int:pk>/toggle/", views.due_date_toggle, name="due_date_toggle"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
]
