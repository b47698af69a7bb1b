from django.urls import path

from ramparts.inventory.views import data_assets, dependencies, io, people, services, systems
from ramparts.inventory.views.common import DATA_ASSETS, PEOPLE, SERVICES, SYSTEMS, make_list_view

app_name = "inventory"

urlpatterns = [
    # Before the detail pages, so that "systems/import/" is not read as a system's ref.
    path("<slug:entity>/import/", io.import_view, name="import"),
    path("<slug:entity>/export.<str:fmt>", io.export_view, name="export"),
    path("<slug:entity>/bulk/", io.bulk_view, name="bulk"),
    path("systems/", make_list_view(SYSTEMS), name="system_list"),
    path("systems/new/", systems.create, name="system_create"),
    path("systems/<str:ref>/", systems.detail, name="system_detail"),
    path("systems/<str:ref>/edit/", systems.edit, name="system_edit"),
    path("systems/<str:ref>/delete/", systems.delete, name="system_delete"),
    path("people/", make_list_view(PEOPLE), name="person_list"),
    path("people/new/", people.create, name="person_create"),
    path("people/<str:ref>/", people.detail, name="person_detail"),
    path("people/<str:ref>/edit/", people.edit, name="person_edit"),
    path("people/<str:ref>/delete/", people.delete, name="person_delete"),
    path("data-assets/", make_list_view(DATA_ASSETS), name="dataasset_list"),
    path("data-assets/new/", data_assets.create, name="dataasset_create"),
    path("data-assets/<str:ref>/", data_assets.detail, name="dataasset_detail"),
    path("data-assets/<str:ref>/edit/", data_assets.edit, name="dataasset_edit"),
    path("data-assets/<str:ref>/delete/", data_assets.delete, name="dataasset_delete"),
    path("services/", make_list_view(SERVICES), name="service_list"),
    path("services/new/", services.create, name="service_create"),
    path("services/<str:ref>/", services.detail, name="service_detail"),
    path("services/<str:ref>/edit/", services.edit, name="service_edit"),
    path("services/<str:ref>/delete/", services.delete, name="service_delete"),
    path("services/<str:ref>/graph/", services.graph, name="service_graph"),
    path("services/<str:ref>/dependencies/add/", dependencies.add, name="dependency_add"),
    path("services/<str:ref>/dependencies/remove/", dependencies.remove, name="dependency_remove"),
]
