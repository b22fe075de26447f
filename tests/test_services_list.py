import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from accmr.core.models import Status
from accmr.members.models import Organisation
from accmr.taxonomy.models import ActorType, District, Language, TargetGroup
from services.models import Service

from .factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
LIST = "/services/"


def names(response):
    return [s.name for s in response.context["page_obj"].object_list]


def test_it_lists_only_published_services_of_approved_organisations(client, service):
    ServiceFactory(name_el="Πρόχειρη", status=Status.DRAFT)
    ServiceFactory(name_el="Σε αναμονή", status=Status.PENDING)
    ServiceFactory(name_el="Αρχειοθετημένη", status=Status.ARCHIVED)
    ServiceFactory(name_el="Ληγμένη", valid_until=date.today() - timedelta(days=1))
    ServiceFactory(
        name_el="Φορέα σε αναμονή",
        organisation=OrganisationFactory(approval=Organisation.Approval.PENDING),
    )
    ServiceFactory(name_el="Λήγει σήμερα", valid_until=date.today())
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(names(response)) == ["Λήγει σήμερα", "Μαθήματα ελληνικών στην Κυψέλη"]


@pytest.mark.parametrize(
    "query",
    ["υγεια", "ΥΓΕΙΑ", "Υγεία", "health", "HEALTH", "κεντρο ενταξησ", "Centre", "κέντρο υγειας"],
)
def test_search_ignores_accents_and_case_in_both_languages(client, query):
    org = OrganisationFactory(name_el="Κέντρο Ένταξης", name_en="Integration Centre")
    ServiceFactory(organisation=org, name_el="Κέντρο Υγείας", name_en="Health centre")
    ServiceFactory(name_el="Μαθήματα", name_en="Lessons")
    response = client.get(LIST, {"q": query})
    assert names(response) == ["Κέντρο Υγείας"]


def test_search_finds_words_in_the_description(client):
    ServiceFactory(
        name_el="Α", description_el="Δωρεάν οδοντίατρος για παιδιά", description_en="Free dentist"
    )
    ServiceFactory(name_el="Β")
    assert names(client.get(LIST, {"q": "ΟΔΟΝΤΙΑΤΡΟΣ"})) == ["Α"]
    assert names(client.get(LIST, {"q": "dentist free"})) == ["Α"]


def test_a_top_category_also_matches_its_subcategories(client):
    ServiceFactory(name_el="Ελληνικά", categories=["greek-language"])
    ServiceFactory(name_el="Ψηφιακά", categories=["digital-skills"])
    ServiceFactory(name_el="Οδοντίατρος", categories=["dental"])
    response = client.get(LIST, {"category": "education"})
    assert sorted(names(response)) == ["Ελληνικά", "Ψηφιακά"]
    assert names(client.get(LIST, {"subcategory": "dental"})) == ["Οδοντίατρος"]
    both = client.get(LIST, {"category": ["education", "health"]})
    assert len(names(both)) == 3


def test_filters_combine_with_and_while_repeated_values_combine_with_or(client):
    ServiceFactory(name_el="Κυψέλη δωρεάν", district=District.objects.get(slug="6"))
    ServiceFactory(
        name_el="Κυψέλη επί πληρωμή", district=District.objects.get(slug="6"), cost="paid"
    )
    ServiceFactory(name_el="Παγκράτι δωρεάν", district=District.objects.get(slug="2"))
    assert sorted(names(client.get(LIST, {"district": "6", "cost": "free"}))) == ["Κυψέλη δωρεάν"]
    assert len(names(client.get(LIST, {"district": ["6", "2"], "cost": "free"}))) == 2


def test_every_filter_narrows_the_list(client):
    arabic = Language.objects.get(slug="ar")
    women = TargetGroup.objects.get(slug="women")
    match = ServiceFactory(
        name_el="Ταιριάζει",
        organisation=OrganisationFactory(
            actor_type=ActorType.objects.get(slug="international-ngo")
        ),
        languages=[arabic],
        target_groups=[women],
        referral_required=True,
        cost="mixed",
    )
    ServiceFactory(name_el="Άλλη")
    ServiceFactory(
        name_el="Τηλεφωνική", location_type="virtual", district=None, latitude=None, longitude=None
    )
    for params in [
        {"language": "ar"},
        {"target_group": "women"},
        {"actor_type": "international-ngo"},
        {"referral": "yes"},
        {"cost": "mixed"},
        {"organisation": match.organisation.slug},
    ]:
        assert names(client.get(LIST, params)) == ["Ταιριάζει"], params
    assert names(client.get(LIST, {"location": "virtual"})) == ["Τηλεφωνική"]
    assert "Ταιριάζει" not in names(client.get(LIST, {"referral": "no"}))
    assert len(names(client.get(LIST, {"location": ["virtual", "physical"]}))) == 3


def test_names_sort_in_greek_alphabetical_order_and_english_on_english_pages(client):
    for el, en in [("Ωδείο", "Conservatory"), ("Άσυλο", "Zeta asylum"), ("Βοήθεια", "Aid")]:
        ServiceFactory(name_el=el, name_en=en)
    assert names(client.get(LIST)) == ["Άσυλο", "Βοήθεια", "Ωδείο"]
    assert names(client.get("/en" + LIST)) == ["Aid", "Conservatory", "Zeta asylum"]


def test_recently_verified_sort_puts_the_newest_check_first(client):
    ServiceFactory(name_el="Παλιά", assured_date=date.today() - timedelta(days=300))
    ServiceFactory(name_el="Νέα", assured_date=date.today())
    ServiceFactory(name_el="Ποτέ", assured_date=None)
    assert names(client.get(LIST, {"sort": "verified"})) == ["Νέα", "Παλιά", "Ποτέ"]
    assert names(client.get(LIST, {"sort": "bogus"})) == [
        "Νέα",
        "Παλιά",
        "Ποτέ",
    ]  # by name: Ν, Πα, Πο


def test_pagination_keeps_the_filters(client, settings):
    settings.LIST_PAGE_SIZE = 2
    for n in range(5):
        ServiceFactory(name_el=f"Υπηρεσία {n}")
    response = client.get(LIST, {"district": "6", "cost": "free"})
    html = response.content.decode()
    assert "?cost=free&amp;district=6&amp;page=2" in html  # in the page cache's one order
    assert response.context["page_obj"].paginator.count == 5
    assert len(names(client.get(LIST, {"district": "6", "cost": "free", "page": "3"}))) == 1


def test_result_count_and_chips_that_each_remove_one_filter(client, service):
    response = client.get(LIST, {"district": ["6", "2"], "cost": "free", "q": "ελληνικ"})
    html = response.content.decode()
    assert "1 υπηρεσία βρέθηκε" in html
    chips = {label: (name, value) for label, name, value in response.context["active_filters"]}
    assert chips == {
        "Αναζήτηση: «ελληνικ»": ("q", "ελληνικ"),
        "Δημοτική κοινότητα: 2η Δημοτική Κοινότητα (Παγκράτι – Μετς – Νέος Κόσμος)": (
            "district",
            "2",
        ),
        "Δημοτική κοινότητα: 6η Δημοτική Κοινότητα (Κυψέλη – Άγιος Παντελεήμονας – Πεδίον του Άρεως)": (
            "district",
            "6",
        ),
        "Κόστος: Δωρεάν": ("cost", "free"),
    }
    assert (
        'href="/services/?cost=free&amp;district=6&amp;q=%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA"'
        in html
    )
    assert "Καθαρισμός όλων των φίλτρων" in html


def test_two_distinct_empty_states(client):
    response = client.get(LIST)
    assert "Δεν υπάρχουν ακόμη υπηρεσίες" in response.content.decode()
    ServiceFactory()
    response = client.get(LIST, {"q": "ανύπαρκτο"})
    html = response.content.decode()
    assert "Καμία υπηρεσία δεν ταιριάζει με αυτά τα φίλτρα" in html
    assert "Δεν υπάρχουν ακόμη υπηρεσίες" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"district": "99"}, "έγκυρη επιλογή"),
        ({"category": "no-such-category"}, "έγκυρη επιλογή"),
        ({"cost": "gratis"}, "έγκυρη επιλογή"),
        ({"q": "α" * 5000}, "200"),
        ({"page": "99999"}, "Δεν υπάρχει σελίδα 99999"),
        ({"page": "abc"}, "Δεν υπάρχει σελίδα abc"),
        ({"page": "-1"}, "Δεν υπάρχει σελίδα -1"),
    ],
)
def test_bad_input_gets_a_clear_message_not_an_error(client, service, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert names(response) == [service.name]


def test_hostile_search_text_is_escaped_and_kept_in_the_box(client, service):
    response = client.get(LIST, {"q": '<script>alert("x")</script>'})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert names(response) == []


def test_malformed_parameters_never_fail(client, service):
    for query in [
        "district=&district=6",
        "cost=",
        "sort=",
        "format=pdf",
        "q=%00",
        "referral=maybe",
    ]:
        assert client.get(f"{LIST}?{query}").status_code == 200, query
    assert client.get(LIST, {"q": "\x00"}).status_code == 200


def test_the_list_runs_the_same_number_of_queries_for_1_and_50_services(
    client, django_assert_num_queries, settings
):
    settings.LIST_PAGE_SIZE = 50
    params = {"category": "education", "district": "6", "cost": "free", "language": "ar"}
    arabic = Language.objects.get(slug="ar")
    ServiceFactory(languages=[arabic])
    client.get(LIST)  # the filter panel's choices are read once, then cached
    # Six before opening hours; the page's opening periods and closures are two more.
    with django_assert_num_queries(8) as one:
        assert client.get(LIST, params).status_code == 200
    for _ in range(49):
        ServiceFactory(languages=[arabic])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST, params)
    assert len(response.context["page_obj"].object_list) == 50


def test_export_csv_holds_every_filtered_row_in_the_pages_language(client, settings):
    settings.LIST_PAGE_SIZE = 2
    for n in range(3):
        ServiceFactory(name_el=f"Ελληνικά {n}", name_en=f"Greek {n}")
    ServiceFactory(name_el="Άλλη περιοχή", district=District.objects.get(slug="1"))
    ServiceFactory(
        name_el="Ξενώνας", name_en="Shelter", address_confidential=True, address_el="Μυστική 1"
    )
    response = client.get("/en" + LIST, {"district": "6", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Organisation", "Categories"]
    assert sorted(r[0] for r in rows[1:]) == ["Greek 0", "Greek 1", "Greek 2", "Shelter"]
    shelter = next(r for r in rows if r[0] == "Shelter")
    assert "Μυστική" not in ",".join(shelter) and "Confidential" in shelter[4]


def test_export_xlsx_in_greek(client):
    ServiceFactory(name_el="Μαθήματα", name_en="Lessons")
    response = client.get(LIST, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Όνομα"
    assert rows[1][0] == "Μαθήματα"
    cost = rows[0].index("Κόστος")
    assert rows[1][cost] == "Δωρεάν"


def test_english_list_shows_english_names_falling_back_to_greek(client):
    ServiceFactory(name_el="Μόνο ελληνικά", name_en="")
    ServiceFactory(name_el="Δίγλωσση", name_en="Bilingual")
    response = client.get("/en" + LIST)
    assert names(response) == ["Bilingual", "Μόνο ελληνικά"]
    assert "2 services found" in response.content.decode()


def test_service_is_never_listed_twice_when_it_matches_several_values(client):
    ServiceFactory(
        categories=["greek-language", "digital-skills"],
        target_groups=list(TargetGroup.objects.all()[:3]),
    )
    response = client.get(
        LIST,
        {
            "category": "education",
            "subcategory": ["greek-language", "digital-skills"],
            "target_group": [t.slug for t in TargetGroup.objects.all()[:3]],
        },
    )
    assert response.context["page_obj"].paginator.count == 1
    assert Service.objects.count() == 1


def test_the_organisation_filter_takes_a_slug_or_without_javascript_a_name(client):
    kem = OrganisationFactory(name_el="Κέντρο Ένταξης Μεταναστών", slug="kem")
    ServiceFactory(name_el="Του ΚΕΜ", organisation=kem)
    ServiceFactory(name_el="Άλλη")

    def results(value):
        html = client.get(LIST, {"organisation": value}).content.decode()
        return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html), html

    assert results("kem")[0] == ["Του ΚΕΜ"]
    assert results("κεντρο ενταξησ μεταναστων")[0] == ["Του ΚΕΜ"]  # the exact name
    assert results("ένταξης")[0] == ["Του ΚΕΜ"]  # words of the name
    found, html = results("kem")
    assert "Οργανισμός: Κέντρο Ένταξης Μεταναστών" in html  # the chip names it
    assert 'value="Κέντρο Ένταξης Μεταναστών" data-slug="kem"' in html  # and so does the box
    nothing, html = results("ανύπαρκτος")
    assert nothing == [] and "Καμία υπηρεσία δεν ταιριάζει" in html


def test_the_xlsx_is_ready_to_send_to_a_colleague(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.gr"]  # SITE_URL unset: links use this host
    settings.SITE_URL = ""
    ServiceFactory(
        name_el='=HYPERLINK("http://evil.example","Πατήστε")',
        assured_date=date(2026, 11, 3),
        eligibility_description_el="Ενήλικες με άδεια διαμονής.",
    )
    response = client.get(LIST, {"format": "xlsx", "district": "6"}, HTTP_HOST="portal.example.gr")
    book = load_workbook(io.BytesIO(response.content))
    about, sheet = book.worksheets
    assert book.active == sheet
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:T2"
    assert sheet["A1"].font.b and sheet.column_dimensions["A"].width == 40
    header = [c.value for c in sheet[1]]
    name, verified, link = (
        sheet["A2"],
        sheet.cell(2, header.index("Τελευταία επιβεβαίωση") + 1),
        sheet.cell(2, len(header)),
    )
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")  # text, not a formula
    assert verified.is_date and verified.value.date() == date(2026, 11, 3)
    assert link.hyperlink.target.startswith("http://portal.example.gr/services/")  # served host
    assert "Ενήλικες με άδεια διαμονής." in [c.value for c in sheet[2]]
    notes = {row[0]: row[1] for row in about.values if row and row[0]}
    assert "6η Δημοτική Κοινότητα" in notes["Φίλτρα"]
    assert notes["Γραμμές"] == 1


def test_csv_cells_that_look_like_formulas_are_neutralised(client):
    ServiceFactory(name_el="=1+1", phone="+30 210 000 0000")
    text = client.get(LIST, {"format": "csv"}).content.decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row[0] == "'=1+1" and row[5] == "+30 210 000 0000"  # a number stays clean


@pytest.mark.parametrize(
    "query",
    ["ελληνικά Κυψέλη", "ελληνικων κυψελη", "greek course kypseli", "Ελληνικά", "ελληνικών"],
)
def test_search_finds_word_forms_and_neighbourhoods(client, query):
    ServiceFactory(
        name_el="Δωρεάν μαθήματα ελληνικών",
        name_en="Free Greek course",
        description_el="Τμήματα για ενήλικες.",
        district=District.objects.get(slug="6"),
    )
    ServiceFactory(name_el="Νομική συμβουλευτική", name_en="Legal advice")
    assert names(client.get(LIST, {"q": query})) == ["Δωρεάν μαθήματα ελληνικών"]


def test_a_name_match_ranks_before_a_description_match(client):
    ServiceFactory(name_el="Αλφάβητο για όλους", description_el="Μαθήματα ελληνικών.")
    ServiceFactory(name_el="Ωδείο ελληνικής μουσικής")
    assert names(client.get(LIST, {"q": "ελληνικα"})) == [
        "Ωδείο ελληνικής μουσικής",
        "Αλφάβητο για όλους",
    ]
