from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from accmr.core.admin_bases import AuditedAdmin, ModeratedAdmin

from .models import Programme, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ModeratedAdmin, AuditedAdmin, TranslationAdmin):
    list_display = ("title", "organisation", "status")
    inlines = [SessionInline]
