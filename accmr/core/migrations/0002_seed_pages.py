"""The three static pages, in Greek and English; admins edit them afterwards."""

from django.db import migrations

PAGES = [
    (
        "about",
        "Σχετικά με την πύλη",
        "About the portal",
        "Το Κέντρο Συντονισμού για θέματα Μεταναστών και Προσφύγων (ACCMR) του Δήμου Αθηναίων "
        "συνδέει τον Δήμο, την κοινωνία των πολιτών, τους διεθνείς οργανισμούς και την κεντρική "
        "διοίκηση.\n\n"
        "Η πύλη συγκεντρώνει τις υπηρεσίες που προσφέρουν οι οργανισμοί-μέλη στην Αθήνα, ώστε οι "
        "επαγγελματίες πεδίου να βρίσκουν γρήγορα πού να παραπέμψουν έναν άνθρωπο. Κάθε καταχώριση "
        "ελέγχεται από τον Δήμο πριν δημοσιευθεί και δείχνει πότε επιβεβαιώθηκε τελευταία φορά.",
        "The City of Athens' Coordination Center for Migrant and Refugee issues (ACCMR) connects "
        "the City, civil society, international organisations and central government.\n\n"
        "The portal gathers the services that member organisations offer in Athens, so that "
        "frontline staff can quickly find where to refer a person. Every entry is reviewed by the "
        "City before it is published and shows when it was last verified.",
    ),
    (
        "guide",
        "Οδηγός χρήσης",
        "User guide",
        "Αναζητήστε μια υπηρεσία με μια λέξη, σε όποια γλώσσα θέλετε: η αναζήτηση αγνοεί τόνους "
        "και κεφαλαία.\n\n"
        "Περιορίστε τα αποτελέσματα με τα φίλτρα: κατηγορία, δημοτική κοινότητα, κόστος, ομάδα-στόχος, "
        "γλώσσα, τύπος οργανισμού. Μπορείτε να επιλέξετε πολλές τιμές σε κάθε φίλτρο. Η διεύθυνση της "
        "σελίδας κρατά τα φίλτρα, ώστε να τη μοιραστείτε ή να την αποθηκεύσετε.\n\n"
        "Ο χάρτης δείχνει τις υπηρεσίες με δημόσια διεύθυνση· η λίστα κάτω από τον χάρτη περιέχει όλα "
        "τα αποτελέσματα. Κατεβάστε τη λίστα σε CSV ή Excel, ή εκτυπώστε τη σελίδα μιας υπηρεσίας.\n\n"
        "Οι ξενώνες και οι υπηρεσίες για επιζώσες βίας δεν δείχνουν διεύθυνση: επικοινωνήστε μαζί τους.",
        "Search for a service with a word, in either language: the search ignores accents and "
        "capitals.\n\n"
        "Narrow the results with the filters: category, municipal district, cost, target group, "
        "language, type of organisation. You can pick several values in each filter. The page's "
        "address keeps the filters, so you can share or bookmark it.\n\n"
        "The map shows services with a public address; the list under the map holds every result. "
        "Download the list as CSV or Excel, or print a service's page.\n\n"
        "Shelters and services for survivors of violence do not show an address: contact them.",
    ),
    (
        "privacy",
        "Προστασία προσωπικών δεδομένων",
        "Privacy",
        "Η πύλη δεν χρησιμοποιεί cookies παρακολούθησης ούτε υπηρεσίες τρίτων για στατιστικά.\n\n"
        "Οι καταχωρίσεις περιέχουν στοιχεία επικοινωνίας οργανισμών, όχι ωφελούμενων. Μην "
        "καταχωρίζετε ποτέ προσωπικά δεδομένα ωφελούμενων στην πύλη.\n\n"
        "Για ερωτήσεις σχετικά με τα δεδομένα σας, επικοινωνήστε με τον Υπεύθυνο Προστασίας "
        "Δεδομένων του Δήμου Αθηναίων.",
        "The portal uses no tracking cookies and no third-party analytics.\n\n"
        "Entries hold the contact details of organisations, not of beneficiaries. Never enter "
        "beneficiaries' personal data in the portal.\n\n"
        "For questions about your data, contact the City of Athens' Data Protection Officer.",
    ),
]


def seed(apps, schema_editor):
    Page = apps.get_model("core", "Page")
    for slug, title_el, title_en, body_el, body_en in PAGES:
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title_el, "title_el": title_el, "title_en": title_en,
                "body": body_el, "body_el": body_el, "body_en": body_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
