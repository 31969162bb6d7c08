"""Account pages, under /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from foodcommons.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup", views.sign_up, name="signup"),
    path("activate/<str:token>", views.activate, name="activate"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.log_out, name="logout"),
    path("password-reset", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent", auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"), name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("profile", views.profile, name="profile"),
    path("tokens", views.api_tokens, name="tokens"),
    path("data", views.download_data, name="data"),
    path("delete", views.delete_account, name="delete"),
]
