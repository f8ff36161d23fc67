"""Programmes as data, edited by the office in the admin: programmes, dated eligibility rules, checklist versions.

A rule is changed by closing it (``valid_to``) and adding a new one; a checklist is changed by adding
a new version (proposals keep the version they began with).
"""

from django.contrib import admin

from plut.programmes.models import Checklist, ChecklistItem, EligibilityRule, Programme, PromotionCall


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "funding_body",
        "period_start",
        "period_end",
        "budget_idr",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    inlines = [EligibilityRuleInline]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["programme", "version", "valid_from", "source"]
    inlines = [ChecklistItemInline]

    def has_change_permission(self, request, obj=None):
        # A checklist in use is history: change it by adding a version.
        if obj is not None and obj.proposals.exists():
            return False
        return super().has_change_permission(request, obj)


@admin.register(PromotionCall)
class PromotionCallAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "opens_on", "closes_on", "budget_idr"]
