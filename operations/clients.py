"""The client's own address, as the trusted proxies in front of the site report it.

Behind nginx every request comes from the proxy's address; the client's is the last entry
nginx appends to X-Forwarded-For ($proxy_add_x_forwarded_for). With N trusted proxies in a
chain it is the N-th entry from the right: entries further left were sent by the client and
may be forged, so they are never read. Sign-in throttling (django-axes) and the rate limits
key on this address, so a stranger cannot pass for, or lock out, someone else.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PRACTICEKB_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= proxies:
            address = _valid(forwarded[-proxies])
            if address:
                return address
    # None when there is no address at all (django-axes stores it in an inet column)
    return _valid(remote)


def rate_limit_key(group, request):
    """django-ratelimit's key: one count per client address and group."""
    return client_address(request) or "unknown"
