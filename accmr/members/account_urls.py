from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from . import account_views as views
from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("supporter/", views.supporter_signup, name="supporter_signup"),
    path("confirm/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("confirm/resend/", views.resend, name="resend"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path(
        "login/",
        auth.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("welcome/", views.welcome, name="welcome"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth.PasswordChangeView.as_view(
            form_class=PasswordChangeForm, success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
