from django.contrib import admin

from plut.reference.models import Commodity


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin):
    """The office extends the commodity list here (local products, other goods)."""

    list_display = ["name", "unit", "category", "group", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "product_terms"]
    filter_horizontal = ["kbli_codes"]
    prepopulated_fields = {"slug": ["name"]}
