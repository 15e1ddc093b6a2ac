from django.urls import path

from qijian.accounts.views import auth, me, security, users

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("two-factor/", auth.two_factor, name="two_factor"),
    path("two-factor/enroll/", auth.enroll_totp, name="enroll_totp"),
    path("logout/", auth.logout_view, name="logout"),
    path("me/", me.my_account, name="me"),
    path("me/token/", me.issue_token, name="issue_token"),
    path("me/token/revoke/", me.revoke_token, name="revoke_own_token"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/role/", users.user_change_role, name="user_change_role"),
    path("users/<int:pk>/password/", users.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("security/", security.security_home, name="security"),
    path("security/unlock/", security.unlock, name="unlock"),
    path("security/<int:pk>/reset-totp/", security.reset_totp, name="reset_totp"),
    path("security/<int:pk>/revoke-token/", security.revoke_token, name="revoke_token"),
]
