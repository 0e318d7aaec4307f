"""Per-client throttling of the API, keyed by the client's own address (operations.clients)
for anonymous use and by the user for signed-in and token use. Over the rate: 429 with
Retry-After. Rates come from PRACTICEKB_API_RATES; RATELIMIT_ENABLE (the site's switch for
rate limits, off in the test settings) turns them off."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from operations.clients import client_address


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        return settings.PRACTICEKB_API_RATES[self.scope]

    def allow_request(self, request, view):
        if not getattr(settings, "RATELIMIT_ENABLE", True):
            return True
        # the rate is read per request, so a changed setting applies without a restart
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonymousThrottle(_SettingsRate):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request) or "unknown",
        }


class UserThrottle(_SettingsRate):
    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
