from django.contrib import admin

from .models import Sheet, SheetItem


class SheetItemInline(admin.TabularInline):
    model = SheetItem
    raw_id_fields = ["statement"]
    extra = 0


@admin.register(Sheet)
class SheetAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "layout", "paper", "updated_at"]
    list_filter = ["layout", "paper"]
    list_select_related = ["owner"]
    search_fields = ["title", "subtitle", "owner__username"]
    inlines = [SheetItemInline]
