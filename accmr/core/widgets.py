from django import forms
from django.conf import settings


class PointPickerWidget(forms.NumberInput):
    """A latitude input followed by a Leaflet map that fills the latitude/longitude pair.

    Plain Leaflet, no django.contrib.gis: the portal runs without GDAL. Click the map or
    drag the pin to set the point; typing in either input moves the pin.
    """

    template_name = "widgets/point_picker.html"

    def __init__(self, longitude_field="longitude", attrs=None):
        super().__init__(attrs={"step": "any", **(attrs or {})})
        self.longitude_field = longitude_field

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        center = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
        context["picker"] = {
            "longitude_id": f"id_{self.longitude_field}",
            "tiles": settings.MAP_TILES_URL,
            "attribution": settings.MAP_TILES_ATTRIBUTION,
            "center": f"{center[0]},{center[1]}",
        }
        return context

    class Media:
        css = {"all": ["leaflet/leaflet.css", "css/point-picker.css"]}
        js = ["leaflet/leaflet.js", "js/point-picker.js"]
