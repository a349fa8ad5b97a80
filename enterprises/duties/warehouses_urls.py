"""Pages of the 委托生产 pairs and the 异地设库 warehouses (included in ``enterprises.urls``, namespace enterprises)."""

from django.urls import path

from enterprises.duties import warehouses_views as views

urlpatterns = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/export/", views.contract_export, name="contract_export"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("warehouses/", views.warehouse_list, name="warehouse_list"),
    path("warehouses/export/", views.warehouse_export, name="warehouse_export"),
    path("warehouses/new/", views.warehouse_create, name="warehouse_create"),
    path("warehouses/<int:pk>/", views.warehouse_detail, name="warehouse_detail"),
    path("warehouses/<int:pk>/edit/", views.warehouse_edit, name="warehouse_edit"),
    path("warehouses/<int:pk>/accept/", views.warehouse_accept, name="warehouse_accept"),
    path("warehouses/<int:pk>/exchanges/", views.exchange_add, name="exchange_add"),
    path("warehouses/exchanges/<int:pk>/file/", views.exchange_file, name="exchange_file"),
]
