from django.contrib import admin

from plut.border.models import BasketWeight, ExchangeRate, Market, TradeAllowance


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district_code", "regency_code", "is_active"]
    list_filter = ["kind", "regency_code"]
    raw_id_fields = ["region"]
    readonly_fields = ["region_path", "district_code", "regency_code"]

    def save_model(self, request, obj, form, change):
        # The scope columns always follow the chosen region.
        codes = obj.region.ancestor_codes()
        obj.region_path = obj.region.path
        obj.district_code = codes[2] if len(codes) > 2 else ""
        obj.regency_code = codes[1] if len(codes) > 1 else ""
        super().save_model(request, obj, form, change)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["on_date", "currency", "idr_per_unit", "source"]


@admin.register(BasketWeight)
class BasketWeightAdmin(admin.ModelAdmin):
    list_display = ["commodity", "weight", "valid_from", "valid_to"]


@admin.register(TradeAllowance)
class TradeAllowanceAdmin(admin.ModelAdmin):
    list_display = ["amount", "currency", "valid_from", "valid_to", "source"]
