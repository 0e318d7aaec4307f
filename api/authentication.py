"""Personal API tokens: `Authorization: Bearer pkb_<lookup>_<secret>`.

The lookup part finds the row (a unique index); the whole token's digest is compared in
constant time. Revoked tokens, tokens of inactive users and malformed headers are refused
with 401. Browsers use the session instead (DRF's SessionAuthentication: CSRF enforced).
"""

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import LOOKUP_LENGTH, TOKEN_PREFIX, ApiToken

KEYWORD = "Bearer"
# last_used_at is written at most this often per token: not a write on every request
TOUCH_SECONDS = 300


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as “Authorization: Bearer <token>”, with nothing else."
            )
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("That token is not valid.") from None
        prefix, _, rest = token.partition("_")
        lookup = rest[:LOOKUP_LENGTH]
        if prefix != TOKEN_PREFIX or len(lookup) != LOOKUP_LENGTH:
            raise exceptions.AuthenticationFailed("That token is not valid.")
        row = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(lookup=lookup, user__is_active=True)
            .first()
        )
        if row is None or not row.matches(token):
            raise exceptions.AuthenticationFailed("That token is not valid, or was revoked.")
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > TOUCH_SECONDS:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.api_token = row
        return row.user, row

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'
