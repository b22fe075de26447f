from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget


def point_picker(latitude_id: str, longitude_id: str) -> dict:
    """What static/js/point-picker.js needs to bind a Leaflet map to the two inputs (the
    template adds the zoom buttons' titles in the page's language)."""
    center = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
    return {
        "latitude_id": latitude_id,
        "longitude_id": longitude_id,
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        # The public maps' prefix (django-leaflet's), not Leaflet's English-titled link.
        "attribution_prefix": settings.LEAFLET_CONFIG["ATTRIBUTION_PREFIX"],
        "center": f"{center[0]},{center[1]}",
        "icons": f"{settings.STATIC_URL}leaflet/images/",
    }


class PickerMedia:
    css = {"all": ["leaflet/leaflet.css", "css/point-picker.css"]}
    js = ["leaflet/leaflet.js", "js/point-picker.js"]


class PointPickerWidget(forms.NumberInput):
    """A latitude input followed by a Leaflet map that fills the latitude/longitude pair
    (the admin's).

    Plain Leaflet, no django.contrib.gis: the portal runs without GDAL. Click the map or
    drag the pin to set the point; typing in either input moves the pin.
    """

    template_name = "widgets/point_picker.html"
    Media = PickerMedia

    def __init__(self, longitude_field="longitude", attrs=None):
        super().__init__(attrs={"step": "any", **(attrs or {})})
        self.longitude_field = longitude_field

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = point_picker(
            context["widget"]["attrs"]["id"], f"id_{self.longitude_field}"
        )
        return context


class CoordinateInput(forms.NumberInput):
    """A latitude or longitude typed by hand, folded behind the editor form's map
    (core/entry_form.html draws the map for the form's `point_fields`)."""

    Media = PickerMedia

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": "any", **(attrs or {})})


class LabelledFileWidget(AdminFileWidget):
    """The admin's file input, named by its field's `<label for>`: Django groups it with
    "Currently" and "Clear" under a legend instead, which leaves the input itself unnamed."""

    use_fieldset = False
