from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accmr.core import views as core_views
from accmr.core.sections import section_urls
from accmr.members import dashboard as members_dashboard
from accmr.members.entries import entry_urls

# Discover admin modules like admin.autodiscover(), except leaflet.admin: it imports
# django.contrib.gis, which needs the GDAL library the portal does not require.
for config in apps.get_app_configs():
    if config.name != "leaflet" and module_has_submodule(config.module, "admin"):
        import_module(f"{config.name}.admin")

admin.site.site_header = _("ACCMR portal administration")
admin.site.site_title = _("ACCMR portal")
admin.site.index_title = _("Moderation")
admin.site.index_template = "admin/portal_index.html"

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    # Browsers and feed readers ask here whatever the page links. A temporary redirect, to
    # the file's hashed (long-cached) address, which changes with the icon.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("img/favicon.ico"))),
    path("private-media/<path:path>", core_views.private_media, name="private_media"),
]
urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    # Every registered section's pages (accmr.core.sections): this file names none.
    *section_urls(),
    path("accounts/", include("accmr.members.account_urls")),
    path("exports/", include("accmr.core.export_tasks")),
    path("dashboard/", members_dashboard.dashboard, name="dashboard"),
    path("dashboard/switch/", members_dashboard.switch_organisation, name="switch_organisation"),
    path("dashboard/organisation/", members_dashboard.organisation_edit, name="organisation_edit"),
    path("dashboard/editors/", members_dashboard.editors, name="editors"),
    path(
        "dashboard/invitations/<int:pk>/revoke/",
        members_dashboard.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "dashboard/editors/<int:pk>/remove/", members_dashboard.editor_remove, name="editor_remove"
    ),
    *entry_urls(),
    path("pages/<slug:slug>/", core_views.page, name="page"),
    path("report/<slug:kind>/<int:pk>/", core_views.report_entry, name="report"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "accmr.core.views.page_not_found"
handler500 = "accmr.core.views.server_error"
