from django.urls import path

from foodcommons.supply import views

app_name = "supply"
urlpatterns = [
    path("supply/", views.landing, name="landing"),
    path("supply/offers/new", views.new_offer, name="new_offer"),
    path("supply/demands/new", views.new_demand, name="new_demand"),
    path("supply/demands/<str:public_id>", views.demand_page, name="demand"),
    path("supply/demands/<str:public_id>/answer", views.answer, name="answer"),
    path("supply/for-me", views.for_me, name="for_me"),
    path("supply/registrations", views.registrations, name="registrations"),
    path("supply/coverage", views.territory_coverage, name="territory_coverage"),
]
