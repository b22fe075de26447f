"""Seed the taxonomies of DESIGN.md §5. Slugs are public keys: never rename them here."""

from django.db import migrations

ACTOR_TYPES = [
    ("local-government", "Τοπική αυτοδιοίκηση", "Local government"),
    ("central-government", "Κεντρική διοίκηση – Δημόσιος τομέας", "Central government – public sector"),
    ("international-organisation", "Διεθνής οργανισμός", "International organisation"),
    ("international-ngo", "Διεθνής ΜΚΟ", "International NGO"),
    ("greek-ngo", "Ελληνική ΜΚΟ", "Greek NGO"),
    ("migrant-refugee-community", "Κοινότητα μεταναστών & προσφύγων", "Migrant & refugee community"),
    ("informal-group", "Άτυπη ομάδα – ομάδα πολιτών", "Informal group – citizens' group"),
    ("academic", "Ακαδημαϊκό – ερευνητικό ίδρυμα", "Academic – research institution"),
    ("private-sector", "Ιδιωτικός τομέας", "Private sector"),
    ("individual", "Ιδιώτης", "Individual"),
]

DISTRICTS = [
    ("1", "1η Δημοτική Κοινότητα", "1st Municipal District",
     "Εμπορικό Τρίγωνο – Πλάκα – Κολωνάκι – Εξάρχεια", "Commercial Triangle – Plaka – Kolonaki – Exarchia"),
    ("2", "2η Δημοτική Κοινότητα", "2nd Municipal District",
     "Παγκράτι – Μετς – Νέος Κόσμος", "Pagkrati – Mets – Neos Kosmos"),
    ("3", "3η Δημοτική Κοινότητα", "3rd Municipal District",
     "Πετράλωνα – Θησείο – Κουκάκι – Γκάζι – Βοτανικός", "Petralona – Thiseio – Koukaki – Gazi – Votanikos"),
    ("4", "4η Δημοτική Κοινότητα", "4th Municipal District",
     "Κολωνός – Ακαδημία Πλάτωνος – Σεπόλια", "Kolonos – Akadimia Platonos – Sepolia"),
    ("5", "5η Δημοτική Κοινότητα", "5th Municipal District",
     "Πατήσια – Άγιος Ελευθέριος", "Patisia – Agios Eleftherios"),
    ("6", "6η Δημοτική Κοινότητα", "6th Municipal District",
     "Κυψέλη – Άγιος Παντελεήμονας – Πεδίον του Άρεως", "Kypseli – Agios Panteleimonas – Pedion tou Areos"),
    ("7", "7η Δημοτική Κοινότητα", "7th Municipal District",
     "Αμπελόκηποι – Γουδή – Ιλίσια – Γκύζη", "Ampelokipoi – Goudi – Ilisia – Gyzi"),
]

CATEGORIES = [
    ("housing", "Στέγαση", "Housing", [
        ("emergency-accommodation", "Επείγουσα φιλοξενία", "Emergency accommodation"),
        ("shelters", "Ξενώνες φιλοξενίας", "Shelters"),
        ("housing-support", "Στεγαστική υποστήριξη & ενοίκιο", "Housing support & rent"),
        ("homelessness", "Αστεγία", "Homelessness"),
    ]),
    ("health", "Υγεία", "Health", [
        ("primary-care", "Πρωτοβάθμια φροντίδα", "Primary care"),
        ("mental-health", "Ψυχική υγεία & ψυχοκοινωνική υποστήριξη", "Mental health & psychosocial support"),
        ("sexual-reproductive-health", "Σεξουαλική & αναπαραγωγική υγεία", "Sexual & reproductive health"),
        ("dental", "Οδοντιατρική φροντίδα", "Dental care"),
        ("medicines-pharmacy", "Φάρμακα & φαρμακείο", "Medicines & pharmacy"),
        ("disability-support", "Υποστήριξη ατόμων με αναπηρία", "Disability support"),
    ]),
    ("legal", "Νομική υποστήριξη", "Legal support", [
        ("asylum-procedure", "Διαδικασία ασύλου", "Asylum procedure"),
        ("family-reunification", "Οικογενειακή επανένωση", "Family reunification"),
        ("residence-permits", "Άδειες διαμονής", "Residence permits"),
        ("citizenship", "Ιθαγένεια", "Citizenship"),
        ("labour-rights", "Εργασιακά δικαιώματα", "Labour rights"),
        ("legal-representation", "Νομική εκπροσώπηση", "Legal representation"),
    ]),
    ("education", "Εκπαίδευση & μάθηση", "Education & learning", [
        ("greek-language", "Μαθήματα ελληνικής γλώσσας", "Greek language courses"),
        ("other-languages", "Μαθήματα άλλων γλωσσών", "Other language courses"),
        ("school-support", "Εγγραφή & στήριξη στο σχολείο", "School enrolment & support"),
        ("non-formal-education", "Μη τυπική εκπαίδευση", "Non-formal education"),
        ("digital-skills", "Ψηφιακές δεξιότητες", "Digital skills"),
        ("early-childhood", "Προσχολική ηλικία", "Early childhood"),
    ]),
    ("employment", "Απασχόληση", "Employment", [
        ("career-counselling", "Συμβουλευτική σταδιοδρομίας", "Career counselling"),
        ("job-placement", "Εύρεση εργασίας", "Job placement"),
        ("vocational-training", "Επαγγελματική κατάρτιση", "Vocational training"),
        ("entrepreneurship", "Επιχειρηματικότητα", "Entrepreneurship"),
    ]),
    ("social-support", "Κοινωνική υποστήριξη", "Social support", [
        ("benefits-documents", "Πρόσβαση σε επιδόματα & έγγραφα (ΑΜΚΑ, ΑΦΜ)", "Access to benefits & documents (AMKA, AFM)"),
        ("case-management", "Διαχείριση περιστατικών", "Case management"),
        ("cash-assistance", "Οικονομική βοήθεια", "Cash assistance"),
    ]),
    ("basic-needs", "Βασικές ανάγκες", "Basic needs", [
        ("food", "Τρόφιμα", "Food"),
        ("clothing", "Ρουχισμός", "Clothing"),
        ("hygiene-items", "Είδη υγιεινής", "Hygiene items"),
        ("laundry-showers", "Πλυντήριο & ντους", "Laundry & showers"),
        ("day-centres", "Κέντρα ημέρας", "Day centres"),
    ]),
    ("child-protection", "Προστασία παιδιού", "Child protection", [
        ("unaccompanied-minors", "Ασυνόδευτοι ανήλικοι", "Unaccompanied minors"),
        ("child-friendly-spaces", "Φιλικοί προς το παιδί χώροι", "Child-friendly spaces"),
        ("family-support", "Υποστήριξη οικογένειας", "Family support"),
    ]),
    ("gender", "Έμφυλη διάσταση", "Gender", [
        ("gbv-support", "Υποστήριξη επιζωσών έμφυλης βίας", "GBV support"),
        ("womens-shelters", "Ξενώνες γυναικών", "Women's shelters"),
        ("womens-empowerment", "Ενδυνάμωση γυναικών", "Women's empowerment"),
    ]),
    ("information", "Ενημέρωση & διερμηνεία", "Information & interpretation", [
        ("information-orientation", "Ενημέρωση & προσανατολισμός", "Information & orientation"),
        ("interpretation-mediation", "Διερμηνεία & διαπολιτισμική μεσολάβηση", "Interpretation & cultural mediation"),
        ("translation", "Μετάφραση", "Translation"),
    ]),
    ("culture-inclusion", "Πολιτισμός, αθλητισμός & κοινωνική ένταξη", "Culture, sport & social inclusion", []),
]

TARGET_GROUPS = [
    ("asylum-seekers", "Αιτούντες άσυλο", "Asylum seekers"),
    ("international-protection", "Δικαιούχοι διεθνούς προστασίας", "Beneficiaries of international protection"),
    ("migrants", "Μετανάστες (πολίτες τρίτων χωρών)", "Migrants (third-country nationals)"),
    ("temporary-protection", "Δικαιούχοι προσωρινής προστασίας", "Beneficiaries of temporary protection"),
    ("unaccompanied-minors", "Ασυνόδευτοι ανήλικοι", "Unaccompanied minors"),
    ("children-youth", "Παιδιά & νέοι", "Children & youth"),
    ("women", "Γυναίκες", "Women"),
    ("families", "Οικογένειες", "Families"),
    ("lgbtqi", "ΛΟΑΤΚΙ+", "LGBTQI+"),
    ("disabilities", "Άτομα με αναπηρία", "People with disabilities"),
    ("gbv-survivors", "Επιζώσες/ντες έμφυλης βίας", "Survivors of GBV"),
    ("trafficking-victims", "Θύματα εμπορίας ανθρώπων", "Victims of trafficking"),
    ("homeless", "Άστεγοι", "Homeless people"),
    ("older-people", "Ηλικιωμένοι", "Older people"),
    ("professionals", "Επαγγελματίες & εθελοντές", "Professionals & volunteers"),
    ("general-population", "Γενικός πληθυσμός", "General population"),
]

LANGUAGES = [
    ("el", "Ελληνικά", "Greek", "Ελληνικά"),
    ("en", "Αγγλικά", "English", "English"),
    ("ar", "Αραβικά", "Arabic", "العربية"),
    ("fa", "Φαρσί", "Farsi", "فارسی"),
    ("prs", "Νταρί", "Dari", "دری"),
    ("ps", "Πάστο", "Pashto", "پښتو"),
    ("ur", "Ούρντου", "Urdu", "اردو"),
    ("fr", "Γαλλικά", "French", "Français"),
    ("ku", "Κουρμαντζί", "Kurmanji", "Kurmancî"),
    ("ckb", "Σοράνι", "Sorani", "سۆرانی"),
    ("so", "Σομαλικά", "Somali", "Soomaali"),
    ("ln", "Λινγκάλα", "Lingala", "Lingála"),
    ("ti", "Τιγκρίνια", "Tigrinya", "ትግርኛ"),
    ("ru", "Ρωσικά", "Russian", "Русский"),
    ("uk", "Ουκρανικά", "Ukrainian", "Українська"),
    ("sq", "Αλβανικά", "Albanian", "Shqip"),
    ("ka", "Γεωργιανά", "Georgian", "ქართული"),
    ("bn", "Μπενγκάλι", "Bengali", "বাংলা"),
    ("pa", "Παντζάμπι", "Punjabi", "ਪੰਜਾਬੀ"),
    ("tr", "Τουρκικά", "Turkish", "Türkçe"),
    ("es", "Ισπανικά", "Spanish", "Español"),
    ("de", "Γερμανικά", "German", "Deutsch"),
    ("zh", "Κινεζικά", "Chinese", "中文"),
]

ACTIVITY_TYPES = [
    ("event", "Εκδήλωση", "Event"),
    ("workshop", "Εργαστήριο", "Workshop"),
    ("training-course", "Εκπαιδευτικό πρόγραμμα", "Training course"),
    ("information-session", "Ενημερωτική συνάντηση", "Information session"),
    ("cultural-activity", "Πολιτιστική δραστηριότητα", "Cultural activity"),
    ("sports-activity", "Αθλητική δραστηριότητα", "Sports activity"),
    ("meeting-forum", "Συνάντηση – φόρουμ", "Meeting/forum"),
    ("campaign", "Εκστρατεία", "Campaign"),
    ("conference", "Συνέδριο", "Conference"),
]

SUPPORT_TYPES = [
    ("in-kind", "Είδη & υπηρεσίες", "In-kind goods & services", [
        ("construction-materials", "Οικοδομικά υλικά", "Construction materials"),
        ("books-stationery", "Βιβλία & γραφική ύλη", "Books & stationery"),
        ("furniture-homeware", "Έπιπλα & είδη σπιτιού", "Furniture & homeware"),
        ("audiovisual-equipment", "Οπτικοακουστικός εξοπλισμός", "Audiovisual equipment"),
        ("toys", "Παιχνίδια", "Toys"),
        ("clothing", "Ρουχισμός", "Clothing"),
        ("linen", "Σεντόνια, πετσέτες, κουβέρτες", "Sheets, towels & blankets"),
        ("technology-equipment", "Τεχνολογικός εξοπλισμός", "Technology equipment"),
        ("food", "Τρόφιμα", "Food"),
        ("cleaning-products", "Καθαριστικά", "Cleaning products"),
        ("medical-supplies", "Φάρμακα & υγειονομικό υλικό", "Medicines & medical supplies"),
        ("personal-hygiene", "Είδη προσωπικής υγιεινής", "Personal hygiene products"),
        ("transport", "Μεταφορά", "Transport"),
        ("interpretation-translation", "Διερμηνεία – μετάφραση", "Interpretation/translation"),
    ]),
    ("know-how", "Τεχνογνωσία", "Know-how", [
        ("legal-know-how", "Νομικά", "Legal"),
        ("accounting", "Λογιστικά", "Accounting"),
        ("communication", "Επικοινωνία", "Communication"),
        ("project-event-management", "Διαχείριση έργων & εκδηλώσεων", "Project & event management"),
        ("human-resources", "Ανθρώπινο δυναμικό", "Human resources"),
        ("business-plans-funding", "Επιχειρηματικά σχέδια & προτάσεις χρηματοδότησης", "Business plans & funding proposals"),
        ("it-digital-tools", "Πληροφορική & ψηφιακά εργαλεία", "IT & digital tools"),
        ("architecture-technical", "Αρχιτεκτονικές & τεχνικές μελέτες", "Architecture & technical studies"),
        ("graphic-design", "Γραφιστικά", "Graphic design"),
    ]),
    ("volunteers", "Εθελοντές", "Volunteers", []),
    ("financial-donation", "Οικονομική δωρεά", "Financial donation", []),
    ("space", "Χώρος", "Space", []),
]


def flat(model, rows):
    for position, (slug, el, en, *_rest) in enumerate(rows, start=1):
        model.objects.update_or_create(
            slug=slug, defaults={"name": el, "name_el": el, "name_en": en, "position": position}
        )


def tree(model, rows):
    for position, (slug, el, en, children) in enumerate(rows, start=1):
        parent, _ = model.objects.update_or_create(
            slug=slug, defaults={"name": el, "name_el": el, "name_en": en, "position": position, "parent": None}
        )
        for sub_position, (sub_slug, sub_el, sub_en) in enumerate(children, start=1):
            model.objects.update_or_create(
                slug=sub_slug,
                defaults={
                    "name": sub_el, "name_el": sub_el, "name_en": sub_en,
                    "position": sub_position, "parent": parent,
                },
            )


def seed(apps, schema_editor):
    get = lambda name: apps.get_model("taxonomy", name)  # noqa: E731
    flat(get("ActorType"), ACTOR_TYPES)
    flat(get("TargetGroup"), TARGET_GROUPS)
    flat(get("ActivityType"), ACTIVITY_TYPES)
    tree(get("Category"), CATEGORIES)
    tree(get("SupportType"), SUPPORT_TYPES)
    District = get("District")
    for position, (slug, el, en, hood_el, hood_en) in enumerate(DISTRICTS, start=1):
        District.objects.update_or_create(
            slug=slug,
            defaults={
                "name": el, "name_el": el, "name_en": en, "position": position,
                "neighbourhoods": hood_el, "neighbourhoods_el": hood_el, "neighbourhoods_en": hood_en,
            },
        )
    Language = get("Language")
    for position, (code, el, en, native) in enumerate(LANGUAGES, start=1):
        Language.objects.update_or_create(
            slug=code,
            defaults={"name": el, "name_el": el, "name_en": en, "native_name": native, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
