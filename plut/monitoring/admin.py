from django.contrib import admin

from plut.monitoring.models import DataSet, DataSetVersion, Indicator, Round, Rule


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "period_type"]


@admin.register(DataSetVersion)
class DataSetVersionAdmin(admin.ModelAdmin):
    list_display = ["dataset", "number", "published_at"]
    inlines = [IndicatorInline, RuleInline]

    def has_change_permission(self, request, obj=None):
        # A published version is frozen: a changed definition is a new version.
        return obj is None or obj.published_at is None


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "period_start", "due_on", "target"]
