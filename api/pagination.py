from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Opaque `cursor` links (next/previous) over a unique ordering: stable while rows are
    added, and one indexed query per page whatever the table's size (no COUNT)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"
    invalid_cursor_message = "That cursor is not one this API gave out; start from the first page."

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:  # a malformed cursor is the client's mistake: 400, not 404
            raise ValidationError({"cursor": self.invalid_cursor_message}) from None

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            most = self.max_page_size
            raise ValidationError(
                {"page_size": f"The page size must be a whole number from 1 to {most}."}
            )
        return int(value)


class SlugCursor(Cursor):
    ordering = "slug"
