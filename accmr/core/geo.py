"""The GeoJSON feeds behind the public lists' maps (static/js/maps.js draws them)."""

from django.http import JsonResponse
from django.urls import reverse


def pins_response(request, rows, detail_url_name: str) -> JsonResponse:
    """A FeatureCollection of `rows`: (slug, name_el, name_en, organisation_el,
    organisation_en, latitude, longitude), names in the page's language; rows without a
    point are left out."""
    english = request.LANGUAGE_CODE == "en"
    url = reverse(detail_url_name, args=["SLUG"])  # one reverse(), not one per row
    features = [
        {
            "type": "Feature",
            # Five decimals are about a metre: enough for a pin, a fifth less to send.
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(lon), 5), round(float(lat), 5)],
            },
            "properties": {
                "name": name_en if english and name_en else name_el,
                "organisation": org_en if english and org_en else org_el,
                "url": url.replace("SLUG", slug),
            },
        }
        for slug, name_el, name_en, org_el, org_en, lat, lon in rows
        if lat is not None and lon is not None
    ]
    # Compact UTF-8, not \u escapes: Greek names would take three times the bytes.
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
