from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Opaque `cursor` links (next/previous) over a unique ordering: stable while rows are
    added, and one indexed query per page whatever the table's size (no COUNT)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"


class SlugCursor(Cursor):
    ordering = "slug"
