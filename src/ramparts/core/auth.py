"""django-allauth adapters: Ramparts has no open sign-up; accounts are created by administrators
(or on first single sign-on, when RAMPARTS_OIDC_AUTO_CREATE is on)."""

import os

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return os.environ.get("RAMPARTS_OIDC_AUTO_CREATE", "").lower() in {"1", "true", "yes"}
