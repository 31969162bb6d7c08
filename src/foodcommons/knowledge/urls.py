"""Pages of the knowledge commons (included at the site root)."""

from django.urls import path

from foodcommons.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("knowledge/", views.index, name="index"),
    path("knowledge/projects/", views.project_list, name="projects"),
    path("knowledge/projects/map", views.project_map, name="project-map"),
    path("knowledge/projects/new", views.new_project, name="new-project"),
    path("knowledge/projects/<str:public_id>", views.project_page, name="project"),
    path("knowledge/projects/<str:public_id>/edit", views.edit_project, name="edit-project"),
    path("knowledge/documents/", views.document_list, name="documents"),
    path("knowledge/documents/new", views.new_document, name="new-document"),
    path("knowledge/documents/<str:public_id>", views.document_page, name="document"),
    path("knowledge/documents/<str:public_id>/versions", views.new_version, name="new-version"),
    path("knowledge/documents/<str:public_id>/files/<int:number>", views.document_file, name="document-file"),
    path("knowledge/documents/<str:public_id>/files/<int:number>/preview.png", views.document_preview, name="document-preview"),
    path("knowledge/directory/", views.directory, name="directory"),
    path("knowledge/expertise/", views.offer_list, name="offers"),
    path("knowledge/expertise/needs", views.need_counts, name="needs"),
    path("knowledge/expertise/<str:public_id>", views.offer_page, name="offer"),
    path("knowledge/expertise/<str:public_id>/ask", views.ask_for_help, name="ask"),
    path("knowledge/exchanges/", views.exchange_list, name="exchanges"),
    path("knowledge/exchanges/new", views.new_exchange, name="new-exchange"),
    path("knowledge/exchanges/<str:public_id>", views.exchange_page, name="exchange"),
    path("knowledge/exchanges/<str:public_id>/answers", views.answer, name="answer"),
    path("knowledge/newsletter/", views.newsletter, name="newsletter"),
    path("knowledge/newsletter/new", views.new_issue, name="new-issue"),
    path("knowledge/newsletter/<str:public_id>", views.issue_page, name="newsletter-issue"),
    path("knowledge/newsletter/<str:public_id>/edit", views.edit_issue, name="edit-issue"),
    path("knowledge/newsletter/<str:public_id>/items", views.add_issue_item, name="add-issue-item"),
]
