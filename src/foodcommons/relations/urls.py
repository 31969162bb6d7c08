"""Pages of relations (included at the site root): the grid, a place's relation facts, the comparison of short chains."""

from django.urls import path

from foodcommons.relations import views

app_name = "relations"
urlpatterns = [
    path("relations/criteria", views.criteria, name="criteria"),
    path("relations/criteria.jsonld", views.criteria_skos, name="criteria-skos"),
    path("relations/compare", views.compare, name="compare"),
    path("places/<str:public_id>/relations", views.declare, name="declare"),
    path("places/<str:public_id>/closures", views.closures, name="closures"),
    path("food-aid/now", views.food_aid_now, name="food-aid-now"),
    path("land/", views.land_layer, name="land"),
    path("land/draw", views.land_draw, name="land-draw"),
    path("land/fields.geojson", views.land_fields_geojson, name="land-fields"),
]
