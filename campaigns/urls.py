from django.urls import path

from campaigns import designer_views, views

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
    # the form designer (campaigns.designer_views)
    path("templates/new/", designer_views.template_settings, name="template_create"),
    path("templates/<int:pk>/design/", designer_views.template_design, name="template_design"),
    path("templates/<int:pk>/design/settings/", designer_views.template_settings, name="template_settings"),
    path("templates/<int:pk>/design/rows/new/", designer_views.row_edit, name="design_row_create"),
    path("templates/<int:pk>/design/rows/<int:row_pk>/", designer_views.row_edit, name="design_row_edit"),
    path("templates/<int:pk>/design/columns/new/", designer_views.column_edit, name="design_column_create"),
    path("templates/<int:pk>/design/columns/<int:column_pk>/", designer_views.column_edit,
         name="design_column_edit"),
    path("templates/<int:pk>/design/cells/<int:row_pk>/<int:column_pk>/", designer_views.cell_edit,
         name="design_cell_edit"),
    path("templates/<int:pk>/design/<str:what>/<int:item_pk>/<str:action>/", designer_views.item_action,
         name="design_item_action"),
]
