"""Words for demo data: German names, streets, dossier and case titles, letter texts.

Everything here is invented except the place names. Templates use ``str.format`` fields that
``sync.demo.generator`` fills in: {street} {no} {district} {area} {year} {next_year}
{prev_year} {last} {first} {small} {parcel} {month} {day} {date} {deadline} {amount}
{subject} {reference} {municipality}.

Texts that end up in text PDFs stay within Latin-1 (the built-in PDF font has no "–" or "€"),
so the full text extracted later equals what was written here.
"""

from __future__ import annotations

FEMALE_FIRST_NAMES = (
    "Anna", "Birgit", "Claudia", "Doris", "Elke", "Franziska", "Gabriele", "Hannelore",
    "Ingrid", "Jana", "Katrin", "Lena", "Monika", "Nicole", "Petra", "Renate", "Sabine",
    "Sophie", "Ursula",
)  # fmt: skip
MALE_FIRST_NAMES = (
    "Andreas", "Bernd", "Christian", "Dieter", "Erich", "Frank", "Günter", "Heinz", "Jörg",
    "Jürgen", "Karl-Heinz", "Lukas", "Matthias", "Norbert", "Olaf", "Peter", "Ralf", "Stefan",
    "Thomas", "Uwe", "Wolfgang",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Schäfer", "Weiß", "Schmidt", "Schneider", "Fischer", "Meyer", "Wagner",
    "Becker", "Hoffmann", "Schulz", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner",
    "Krause", "Köhler", "Jäger", "Günther", "Vogt", "Heß", "Hühn", "Döring", "Gößmann",
    "Möller", "Stöber", "Rößler", "Lück", "Ständer", "Küllmer", "Böttner", "Eichhorn",
)  # fmt: skip
STREETS = (
    "Hauptstraße", "Am Mühlenweg", "Schulstraße", "Kirchgasse", "Lindenstraße", "Wiesenweg",
    "Bahnhofstraße", "Am Werraufer", "Gartenstraße", "Brückenstraße", "Am Sportplatz",
    "Birkenweg", "Mühlgraben", "Friedhofsweg", "Am Goldbach", "Eschweger Straße", "Triftweg",
    "Im Rosental", "Höhenweg", "Grüner Weg", "Kasseler Straße", "Über der Aue",
    "Zum Kirschberg", "Sälzerweg", "Töpferstraße", "Am Gänseanger",
)  # fmt: skip
# Names of planned areas (Bebauungspläne, Gewerbegebiete): invented field names.
AREAS = (
    "Am Mühlenberg", "Hinter den Gärten", "Auf dem Kirchberg", "Im Wiesengrund",
    "Über der Straße", "An der Bünte", "Im Stöckig", "Rödchen",
)  # fmt: skip
# Ortsteile where known (used as districts / Gemarkungen); other towns use their own name.
DISTRICTS: dict[str, tuple[str, ...]] = {
    "meinhard": (
        "Frieda", "Grebendorf", "Hitzelrode", "Jestädt", "Motzenrode", "Neuerode", "Schwebda",
    ),
    "herleshausen": (
        "Herleshausen", "Wommen", "Nesselröden", "Breitzbach", "Unhausen", "Holzhausen",
        "Markershausen", "Altefeld", "Archfeld", "Willershausen", "Frauenborn",
    ),
}  # fmt: skip
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip

COMPANIES = (
    "Ingenieurbüro Schäfer & Partner", "Architekturbüro Weiß + Göbel", "Tiefbau Krüger GmbH",
    "Elektro Hühn GmbH & Co. KG", "Dachdeckerei Möller", "Planungsgruppe Werratal",
    "Steuerbüro Döring", "Garten- und Landschaftsbau Jäger", "Heizungsbau Rößler GmbH",
    "Vermessungsbüro Eichhorn", "Forstbetrieb Küllmer", "Malerbetrieb Stöber",
)  # fmt: skip
# (name, seat) of public bodies that write to a municipality.
AUTHORITIES = (
    ("Kreisausschuss des Werra-Meißner-Kreises, Bauaufsicht", "Eschwege"),
    ("Kreisausschuss des Werra-Meißner-Kreises, Ordnungsamt", "Eschwege"),
    ("Regierungspräsidium Kassel", "Kassel"),
    ("Amtsgericht Eschwege", "Eschwege"),
    ("Landesamt für Denkmalpflege Hessen", "Wiesbaden"),
)
TAGS = (
    "Eilt", "Wiedervorlage", "Rechnung", "Förderung", "Ortstermin", "Datenschutz",
    "Gemeindevertretung", "Bürgeranfrage", "Frist beachten",
)  # fmt: skip
NOTES = (
    "Rücksprache mit dem Bürgermeister am {date}: weiteres Vorgehen abgestimmt.",
    "Wiedervorlage zum {deadline}; bis dahin Stellungnahme des Kreises abwarten.",
    "Telefonat mit {first} {last}: Unterlagen kommen nächste Woche per Post.",
    "Vorgang an die Kämmerei zur Prüfung der Haushaltsmittel gegeben.",
    "Ortstermin {street} {no} am {date}, Fotos liegen im Vorgang.",
    "Achtung: personenbezogene Daten, nur für die Sachbearbeitung.",
)

# Dossier titles per leaf code of the demo plan. Codes missing here get the unit title.
DOSSIER_TITLES: dict[str, tuple[str, ...]] = {
    "001": ("Sitzungen der Gemeindevertretung {year}",),
    "002": ("Beschlüsse des Gemeindevorstands {year}",),
    "004": ("Kommunalwahl {year}", "Bürgermeisterwahl {year}"),
    "010": ("Friedhofssatzung", "Hundesteuersatzung", "Gebührensatzung Kindertagesstätten"),
    "020": ("Geschäftsverteilungsplan {year}",),
    "022": ("Dienstanweisung Aktenführung und E-Akte", "Dienstanweisung Kassenwesen"),
    "024": ("Einführung der E-Akte", "Verzeichnis der Verarbeitungstätigkeiten"),
    "030": ("Personalakte {last}, {first}",),
    "032": ("Stellenausschreibung Sachbearbeitung Bauamt {year}", "Stellenausschreibung Kita"),
    "112": ("Gaststättenerlaubnis „Zur Linde“, {street} {no}", "Gewerbeanmeldung {last}"),
    "114": ("Kirmes {district} {year}", "Weihnachtsmarkt {year}", "Sondernutzung {street}"),
    "122": ("Sterbefall {last}, {first}",),
    "130": ("Jahreshauptversammlung Feuerwehr {district} {year}", "Feuerwehrbedarfsplan"),
    "132": ("Beschaffung Löschgruppenfahrzeug LF 10", "Atemschutzgeräte {year}"),
    "140": ("Tempo 30 {street}", "Halteverbot Baustelle {street}"),
    "300": ("Vereinsförderung {year}", "Heimatfest {district} {year}"),
    "302": ("Ortschronik {district}",),
    "404": ("Unterbringung {street} {no}",),
    "460": ("Kita-Bedarfsplan {year}",),
    "462": ("Kita-Gebühren {year}",),
    "612": ("Bebauungsplan Nr. {small} „{area}“",),
    "614": ("Dorfentwicklung {district}: Dorfplatz", "Städtebauförderung Ortskern {district}"),
    "620": ("Bauvoranfrage Mehrfamilienhaus, {street} {no}",),
    "621": (
        "Bauantrag Neubau Einfamilienhaus, {street} {no}",
        "Bauantrag Anbau Wintergarten, {street} {no}",
        "Bauantrag Carport und Gerätehaus, {street} {no}",
        "Bauantrag Umnutzung Scheune zu Wohnraum, {street} {no}",
    ),
    "623": ("Einvernehmen § 36 BauGB: Photovoltaik-Freiflächenanlage {district}",),
    "624": ("Sanierung Fachwerkhaus {street} {no}",),
    "630": ("Straßenausbau {street}", "Grundhafte Erneuerung {street} in {district}"),
    "632": ("Winterdienst {year}/{next_year}",),
    "650": ("Dorfgemeinschaftshaus {district}: Dachsanierung", "DGH {district}: Heizung"),
    "652": ("Bauhof: Kommunaltraktor", "Rathaus: barrierefreier Zugang"),
    "700": ("Kanalsanierung {street}", "Abwassergebühren {year}"),
    "702": ("Trinkwasseruntersuchung {year}", "Hochbehälter {district}: Sanierung"),
    "730": ("Friedhof {district}: Grabnutzungsrechte", "Friedhof {district}: Urnenfeld"),
    "800": ("Gewerbegebiet „{area}“: Vermarktung",),
    "802": ("Radweg Werratal: Beschilderung", "Tourismusförderung {year}"),
    "840": ("Forstwirtschaftsplan {year}", "Holzverkauf {year}"),
    "880": ("Grundstücksverkauf Gemarkung {district}, Flur {small}, Flurstück {parcel}",),
    "882": ("Pachtvertrag Grünland {district}", "Mietvertrag Wohnung {street} {no}"),
    "900": ("Haushaltssatzung und Haushaltsplan {year}",),
    "902": ("Jahresabschluss {prev_year}",),
    "920": ("Grundsteuer: Hebesätze {year}",),
    "922": ("Gewerbesteuer {year}",),
    "924": ("Hundesteuer {year}",),
    "926": ("Straßenbeiträge {street}",),
    "940": ("Vollstreckung {last}, {first}",),
}
# Personal data: these dossiers are restricted to the clerks in charge.
RESTRICTED_CODES = frozenset({"030", "032", "122", "404", "940"})
# Shown first so that even a small demo has a building permit, a road project and a
# (restricted) personnel file; the rest is drawn at random.
SHOWCASE_CODES = ("621", "630", "030", "001", "612", "650")

CASE_TITLES: dict[str, tuple[str, ...]] = {
    "001": ("Sitzung am {day}. {month}", "Sitzung am {day}. {month}", "Ausschusssitzungen"),
    "030": ("Einstellung", "Arbeitsvertrag und Eingruppierung", "Fortbildungen"),
    "612": ("Aufstellungsbeschluss", "Frühzeitige Beteiligung", "Offenlage", "Satzungsbeschluss"),
    "621": (
        "Bauantrag und Bauvorlagen",
        "Stellungnahmen der Träger öffentlicher Belange",
        "Nachforderung von Unterlagen",
        "Baugenehmigung",
    ),
    "630": ("Planung und Ausschreibung", "Vergabe", "Anliegerinformation", "Abrechnung"),
}
DEFAULT_CASE_TITLES = (
    "Schriftverkehr", "Anträge", "Rechnungen und Zahlungen", "Beschlussvorlagen",
    "Stellungnahmen", "Ortstermine", "Förderantrag", "Bürgeranfragen",
)  # fmt: skip

# Letter kinds: subject prefix, who writes such letters (c = citizen, f = firm, a = authority,
# m = the municipality to its council) and the body paragraphs after the salutation.
LETTERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Antrag",
        "cf",
        (
            "hiermit beantrage ich in der Angelegenheit {subject} die Genehmigung der "
            "beigefügten Planung. Die erforderlichen Unterlagen (Lageplan, Bauzeichnungen, "
            "Baubeschreibung) füge ich diesem Schreiben bei.",
            "Für Rückfragen erreichen Sie mich werktags unter der Telefonnummer 05651 {parcel}.",
        ),
    ),
    (
        "Stellungnahme",
        "fa",
        (
            "zu dem oben genannten Vorhaben nehmen wir wie folgt Stellung: Gegen die Planung "
            "bestehen aus unserer Sicht keine grundsätzlichen Bedenken.",
            "Wir bitten jedoch, die Zufahrt im Bereich {street} während der Bauzeit "
            "freizuhalten und die Anlieger rechtzeitig zu informieren.",
        ),
    ),
    (
        "Rechnung",
        "f",
        (
            "für die bis zum {date} erbrachten Leistungen berechnen wir Ihnen {amount} EUR "
            "zuzüglich der gesetzlichen Umsatzsteuer.",
            "Bitte überweisen Sie den Betrag innerhalb von 14 Tagen unter Angabe der "
            "Rechnungsnummer {parcel}.",
        ),
    ),
    (
        "Nachforderung von Unterlagen",
        "a",
        (
            "bei der Prüfung Ihrer Unterlagen haben wir festgestellt, dass noch folgende "
            "Nachweise fehlen: Lageplan im Maßstab 1:500, Standsicherheitsnachweis und "
            "Entwässerungsplan.",
            "Bitte reichen Sie diese bis zum {deadline} nach. Andernfalls müssen wir den Antrag "
            "als zurückgenommen behandeln.",
        ),
    ),
    (
        "Beschwerde",
        "c",
        (
            "seit mehreren Wochen ist die Straßenbeleuchtung im Bereich {street} in {district} "
            "defekt. Gerade für ältere Mitbürgerinnen und Mitbürger ist der Weg abends gefährlich.",
            "Ich bitte um zeitnahe Abhilfe und eine kurze Rückmeldung.",
        ),
    ),
    (
        "Einladung",
        "m",
        (
            "wir laden Sie herzlich zur nächsten Sitzung am {date} um 19:30 Uhr in das "
            "Dorfgemeinschaftshaus {district} ein.",
            "Die Tagesordnung und die Beschlussvorlagen sind diesem Schreiben beigefügt.",
        ),
    ),
    (
        "Bescheid",
        "a",
        (
            "auf Ihren Antrag vom {date} ergeht folgender Bescheid: Dem Antrag wird unter den "
            "nachstehenden Auflagen stattgegeben. Die Gebühr beträgt {amount} EUR.",
            "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach "
            "Bekanntgabe Widerspruch erhoben werden.",
        ),
    ),
)
# Extra sentences: variety for letters, notes and the synthetic texts of bulk_load.
SENTENCES = (
    "Die Maßnahme ist mit dem Ortsbeirat {district} abgestimmt.",
    "Der Zuschuss beträgt 60 Prozent der förderfähigen Kosten.",
    "Die Grenzabstände zum Nachbargrundstück von Familie {last} sind einzuhalten.",
    "Die Arbeiten sollen bis Ende {month} {year} abgeschlossen sein.",
    "Im Haushalt {year} stehen hierfür {amount} EUR zur Verfügung.",
    "Eine Kopie dieses Schreibens erhält der Kreisausschuss zur Kenntnis.",
    "Das Grundstück liegt im Geltungsbereich des Bebauungsplans „{area}“.",
    "Wir bitten um Prüfung und Rückäußerung bis zum {deadline}.",
    "Herr {last} vom Bauhof hat die Schäden im Bereich {street} aufgenommen.",
    "Die Anlieger im Bereich {street} werden durch eine Wurfsendung informiert.",
    "Die Gemeindevertretung hat in ihrer Sitzung am {date} zugestimmt.",
    "Frau {last} übernimmt während des Urlaubs die Vertretung.",
    "Die Schlussrechnung liegt bei und ist sachlich und rechnerisch geprüft.",
    "Für die Straßensperrung ist eine verkehrsrechtliche Anordnung erforderlich.",
    "Das Gutachten über die Tragfähigkeit der Brücke über den Mühlgraben liegt vor.",
    "Der Ortstermin findet am {date} um 10:00 Uhr vor Ort statt ({street} {no}).",
)
COST_ITEMS = (
    ("Baustelleneinrichtung", "psch"),
    ("Asphaltdecke erneuern", "m²"),
    ("Bordsteine setzen", "m"),
    ("Straßenablauf erneuern", "Stk"),
    ("Verkehrssicherung", "Wo"),
    ("Pflasterarbeiten Gehweg", "m²"),
)
PHOTO_CAPTIONS = (
    "Ortstermin {street} {no}",
    "Schaden Fahrbahn {street}",
    "Baustelle {district}",
    "Zustand Dachstuhl DGH {district}",
)
PHONE_NOTES = (
    "Telefonnotiz {date}\n\n{first} {last} rief an und fragte nach dem Stand in der Sache "
    "„{subject}“. Rückruf zugesagt.\n",
    "Aktenvermerk {date}\n\nOrtsbesichtigung {street} {no} mit {first} {last}. "
    "Ergebnis: Unterlagen sind vollständig, Weiterleitung an den Kreis.\n",
)
