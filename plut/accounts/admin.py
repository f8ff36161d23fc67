from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from plut.accounts.models import User


@admin.register(User)
class PlutUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("plut", {"fields": ("role", "regions", "phone")}))
    filter_horizontal = ("regions", "groups", "user_permissions")
