from django.urls import path

from ramparts.risk.views import program, register

app_name = "risk"

urlpatterns = [
    path("", register.risk_list, name="list"),
    path("new/", register.risk_create, name="create"),
    path("heat-map/", program.heat, name="heat_map"),
    path("portfolio/", program.portfolio, name="portfolio"),
    path("appetite/", program.appetite, name="appetite"),
    path("appetite/set/", program.appetite_set, name="appetite_set"),
    path("categories/new/", program.category_create, name="category_create"),
    path("treatment/", program.treatment, name="treatment"),
    path("acceptances/", program.acceptances, name="acceptances"),
    path("import/", program.risk_import, name="import"),
    path("plans/<int:plan>/actions/new/", register.action_create, name="action_create"),
    path("actions/<int:pk>/", register.action_update, name="action_update"),
    path("<str:ref>/", register.risk_detail, name="detail"),
    path("<str:ref>/edit/", register.risk_edit, name="edit"),
    path("<str:ref>/delete/", register.risk_delete, name="delete"),
    path("<str:ref>/quantify/", register.risk_quantify, name="quantify"),
    path("<str:ref>/what-if/", register.risk_what_if, name="what_if"),
    path("<str:ref>/accept/", register.risk_accept, name="accept"),
    path("<str:ref>/revoke/", register.risk_revoke, name="revoke"),
    path("<str:ref>/plans/new/", register.plan_create, name="plan_create"),
]
