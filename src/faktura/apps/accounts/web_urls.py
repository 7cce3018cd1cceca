"""Settings pages of the accounts app, under /app/settings/."""

from django.urls import path

from faktura.apps.accounts.views import company, members

app_name = "accounts"

urlpatterns = [
    path("settings/company/", company.company, name="company"),
    path("settings/company/test-mode", company.test_mode, name="test-mode"),
    path("settings/company/bank-accounts/", company.bank_account_add, name="bank-account-add"),
    path(
        "settings/company/bank-accounts/<int:account_id>/remove",
        company.bank_account_remove,
        name="bank-account-remove",
    ),
    path("settings/members/", members.members, name="members"),
    path("settings/members/add", members.member_add, name="member-add"),
    path("settings/members/<int:membership_id>/role", members.member_role, name="member-role"),
    path("settings/members/<int:membership_id>/remove", members.member_remove, name="member-remove"),
    path("settings/members/api-keys/", members.api_key_create, name="api-key-create"),
    path("settings/members/api-keys/<int:key_id>/revoke", members.api_key_revoke, name="api-key-revoke"),
]
