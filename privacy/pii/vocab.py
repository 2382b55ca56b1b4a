"""Words that announce an identifier, in English, German, French, Spanish, Italian and Dutch.

One table per kind of identifier, so a new language or a new label is one line, and the
recognizers (labelled.py) stay the same. Labels are matched case-insensitively, with any of the
usual "number" words after them ("no.", "Nr.", "n°", "núm.", "nummer", "#", "id") and a separator.
Spaces in a label match any run of spaces, hyphens or dots ("Pat.-Nr." and "pat nr" alike).
"""

from __future__ import annotations

import regex as re


def alternation(words: str) -> str:
    """`a|b c|d` → a regex alternation; spaces match separators, a `.` is optional.

    The words are merged into a trie ("pat", "patient", "patientennummer" share one path), so the
    regex engine reads each character once instead of trying hundreds of words in turn at every
    position; longer words are tried first, as in a longest-first alternation.
    """
    trie: dict = {}
    for word in sorted({w.strip() for w in words.split("|") if w.strip()}):  # the same regex in every process
        node = trie
        for ch in word:
            node = node.setdefault(_ATOMS.get(ch) or re.escape(ch), {})
        node[""] = {}
    return "(?:" + _emit(trie)[0] + ")"


_ATOMS = {" ": r"[\s.\-/]*", ".": r"\.?"}


def _emit(node: dict) -> tuple[str, int]:
    """(regex, length of the longest word below) for one trie node."""
    branches = sorted(((atom + sub, depth + 1) for atom, child in node.items() if atom
                       for sub, depth in [_emit(child)]), key=lambda b: (-b[1], b[0]))
    if not branches:
        return "", 0
    body = branches[0][0] if len(branches) == 1 else "(?:" + "|".join(b for b, _ in branches) + ")"
    if "" in node:
        body = f"(?:{body})?"
    return body, branches[0][1]


# The "number" word that may follow a label, and the separator before the value.
NUMBER_WORD = alternation("no. | nr. | n° | nº | n.º | n. | num. | núm. | number | nummer | numéro | numero |"
                          "número | # | id | id. | code | code no. | ref. | nbr")
# After the label: the number word, glued or not ("Dossiernr.", "Pass-Nr."), then no letter, then
# separators including dot leaders and a comma ("Passeport, 37PK49805", "Mobile ........ 0709").
LABEL_TAIL = (rf"(?:[\s.\-]*{NUMBER_WORD})?(?![^\W\d_])(?:\s*\([^\W\d_][^\d()\n]{{1,24}}\))?"
              r"[\s:#=.\-–|/\"',]{0,40}")

# Each kind: the entity it is reported as, and its labels.
LABELS: dict[str, str] = {
    "MEDICAL_RECORD_NUMBER": """
        mrn | mr | medical record | med rec | med. rec. | record | record no | hospital | hosp | patient |
        pt | pat | chart | unit | case | case file | encounter | admission | visit | emr | ehr | nhs |
        chi | accession | acc | specimen | sample | lab | lab order | order | requisition | episode |
        fin | file | dossier |
        patientennummer | patienten | patienten-id | pat.-nr | fall | fallnummer | fallnr | aufnahme |
        aufnahmenummer | krankenblatt | krankenblattnummer | aktenzeichen | befund | befundnummer |
        auftrag | auftragsnummer | probe | probennummer | einsendung |
        numéro de dossier | dossier médical | dossier patient | ipp | nip | nda | numéro patient |
        identifiant patient | séjour | numéro de séjour | numéro d'admission | prélèvement |
        historia clínica | historia clinica | nhc | hc | número de historia | paciente | expediente |
        episodio | número de episodio | cip | caso | muestra | petición | historia | examen |
        n° d'examen | pid | auftrags | untersuchung | untersuchungs | onderzoek | onderzoeks |
        cartella clinica | cartella | numero di cartella | codice paziente | paziente | ricovero |
        nosologico | numero nosologico | pratica | campione | richiesta | accettazione |
        patiëntnummer | patientnummer | patiënt | dossiernummer | ziekenhuisnummer | opname |
        opnamenummer | casusnummer | registratienummer | monster | aanvraag | zis |
        auftr | eingang | eingangsnummer | eingangsnr | pet | hª | h.ª | hª clínica | h. clínica | spell |
        case note | dialysis | dialyse | dialysenummer | diálisis | dialisi | dializzato | cod. dializzato |
        mikro | mikrobiologie | microbiologie | microbiología | microbiologia | microbiology | biopsia |
        biopsie | biopsy | pathologie | patología | patologia | pathology | e-nr""",
    "HEALTH_PLAN_ID": """
        member | member id | membership | subscriber | policy | policy holder | insurance | insurer |
        health plan | plan | beneficiary | medicare | medicaid | group | insured | coverage | payer id |
        mbi | hicn | ehic | insurance card |
        versichertennummer | versicherungsnummer | krankenversicherungsnummer | kvnr | kv |
        mitgliedsnummer | krankenkasse | versicherung | versichertenkarte | egk | police |
        carte vitale | numéro d'adhérent | adhérent | mutuelle | assuré | contrat d'assurance |
        afiliación | número de afiliación | afiliado | tarjeta sanitaria | tsi | aseguradora | póliza |
        poliza | mutua | tessera sanitaria | codice assicurato | assicurato | polizza | tessera |
        polisnummer | verzekeringsnummer | verzekerdennummer | verzekerde | lidnummer | zorgverzekeraar |
        polis""",
    "NATIONAL_ID": """
        ssn | social security | social sec | soc sec | ss# | national insurance | ni | nino |
        national id | national identity | identity card | id card | identity document | tax id | tin |
        sin | itin | ein |
        nir | insee | numéro de sécurité sociale | sécurité sociale | sécu | carte d'identité |
        cni | numéro fiscal | spi | codice fiscale | cod. fiscale | cf | c.f. | carta d'identità | carta di identità |
        documento | dni | nie | nif | nuss | documento nacional de identidad | seguridad social |
        número de la seguridad social | personalausweis | ausweis | ausweisnummer | perso |
        steuer-id | steueridentifikationsnummer | steuernummer | sozialversicherungsnummer | svnr |
        rentenversicherungsnummer | bsn | burgerservicenummer | sofinummer | identiteitskaart | id-kaart""",
    "PASSPORT": """passport | pass port | reisepass | pass | passeport | pasaporte | passaporto | paspoort""",
    "DRIVER_LICENSE": """
        driver's license | drivers license | driver license | driver's licence | driving licence |
        driving license | drivers lic | dl | d/l | dln | führerschein | permis de conduire | permis |
        carnet de conducir | permiso de conducir | carnet | patente | patente di guida | rijbewijs""",
    "LICENSE_NUMBER": """
        npi | national provider | national provider identifier | licence | license | lic | certificate | cert | certification | registration | reg | permit |
        professional licence | medical licence | board certification | dea | gmc | nmc | hcpc | rpps |
        adeli | colegiado | número de colegiado | iscrizione albo | albo | big | big-registratie |
        approbation | lanr | bsnr | zulassung | zertifikat | zertifikatsnummer | bescheinigung |
        certificat | attestation | certificado | certificato | certificaat | vergunning |
        diploma | accreditation | notary | iscr. ordine | iscrizione | ordine | ordine dei medici |
        cod. regionale | cod. regionale medico | codice regionale | codice regionale medico""",
    "VEHICLE_ID": """
        vin | vehicle identification | vehicle id | vehicle | chassis | licence plate | license plate |
        plate | number plate | registration plate | reg plate | car reg | vehicle registration |
        kennzeichen | amtliches kennzeichen | kfz-kennzeichen | kfz | fahrgestellnummer | fin |
        immatriculation | plaque | plaque d'immatriculation | numéro de châssis | matrícula | matricula |
        bastidor | número de bastidor | targa | telaio | numero di telaio | kenteken | chassisnummer""",
    "DEVICE_ID": """
        serial | serial no | s/n | sn | device | device id | device serial | implant | implant id |
        pacemaker | pacemaker serial | defibrillator | icd serial | pump serial | imei | udi | mac |
        asset tag | asset | hardware id | equipment id | model/serial |
        seriennummer | seriennr | gerät | gerätenummer | geräte-id | implantat | herzschrittmacher |
        numéro de série | n° de série | appareil | dispositif | stimulateur | número de serie |
        dispositivo | marcapasos | numero di serie | matricola | apparecchio | pacemaker n |
        serienummer | apparaat | apparaatnummer | implantaat | n. di serie | serie | geräte |
        dispositif | ventilator | beatmungsgerät | pompe | bomba | pompa | insulin pump""",
    "BIOMETRIC_ID": """
        biometric | biometric id | biometric template | biometrics | fingerprint | fingerprint id |
        fingerprint template | iris | iris scan | iris template | retina | retinal scan | voiceprint |
        voice print | face template | facial template | face id | palm vein | palm print | dna profile |
        biometrische | fingerabdruck | iris-scan | gesichtserkennung | empreinte | empreinte digitale |
        biométrique | huella | huella dactilar | biométrico | biometrico | impronta | impronta digitale |
        vingerafdruk | biometrisch | irisscan | gezichtsherkenning | selfie | liveness |
        selfie liveness | biometría | biometria | biometría facial | facial | facciale |
        riconoscimento facciale | reconnaissance faciale | gesichtsbild | handvenen | venen |
        photo | photograph | photo id | photo ref | picture | portrait | headshot | mugshot |
        face photo | facial photograph | full-face photograph | clinical photo | wound photo |
        foto | lichtbild | passbild | patientenfoto | photographie | fotografía | fotografia |
        fotografie | pasfoto""",
    "BANK_ACCOUNT": """
        account | acct | acc | a/c | accnt | acount | accout | acct no | acc no | checking | chequing |
        savings | current account | deposit | customer | client | cif | loan | mortgage | contract |
        agreement | facility | card account | portfolio | wallet | beneficiary account |
        konto | kontonummer | kto | kto.-nr | kundennummer | kunden | kunde | darlehen |
        darlehensnummer | kredit | kreditnummer | vertrag | vertragsnummer | depot | depotnummer |
        compte | numéro de compte | rib | numéro client | client n | prêt | numéro de prêt | contrat |
        cuenta | número de cuenta | ccc | cliente | número de cliente | préstamo | hipoteca | contrato |
        conto | conto corrente | numero di conto | c/c | codice cliente | mutuo | prestito | contratto |
        rekening | rekeningnummer | klant | klantnummer | lening | leningnummer | hypotheek |
        hypotheeknummer | contractnummer""",
    "CREDIT_CARD": """
        card | credit card | debit card | cc | card number | pan | karte | kartennummer | kreditkarte |
        carte | carte bancaire | numéro de carte | tarjeta | número de tarjeta | carta | carta di credito |
        kaart | kaartnummer | creditcard | pinpas""",
    "IBAN_CODE": """iban""",
    "PHONE_NUMBER": """
        phone | tel | tel. | telephone | mobile | cell | cellphone | fax | ph | contact number |
        callback | call me on | call back on | reach me on | home phone | work phone | pager | bleep | whatsapp | sms |
        telefon | telefonnummer | handy | mobil | mobilnummer | rufnummer | rückruf | durchwahl |
        téléphone | tél | tél. | portable | mobile | numéro de téléphone | joignable au |
        teléfono | telefono | tfno | tlf | móvil | movil | celular | número de teléfono |
        cellulare | cell. | recapito | recapito telefonico | numero di telefono |
        telefoon | telefoonnummer | tel.nr | mobiel | gsm | mobiele nummer""",
    "ZIP_CODE": """
        zip | zip code | zipcode | postcode | postal code | post code | postleitzahl | plz |
        code postal | cp | c.p. | código postal | cap | c.a.p. | codice postale""",
    # "Any other unique identifying number, characteristic, or code" (HIPAA Safe Harbor (R)).
    "OTHER_ID": """
        id | identifier | ident | reference | ref | ref no | case id | claim | claim no | ticket |
        badge | employee | employee id | staff id | staff | student | personnel | user id | username |
        login | customer ref | transaction id | application | application no | order no |
        matter | file ref | voucher | tracking | booking | reservation |
        kennung | kennziffer | personalnummer | mitarbeiter | benutzer | antrag | antragsnummer |
        vorgang | vorgangsnummer | schaden | schadennummer | referenz |
        identifiant | référence | matricule | numéro d'employé | demande | sinistre |
        identificador | referencia | empleado | solicitud | siniestro | expediente n |
        identificativo | riferimento | dipendente | richiesta n | sinistro |
        kenmerk | referentie | personeelsnummer | medewerker | aanvraagnummer | schadenummer |
        box | safe deposit box | coffre | coffre-fort | caja | caja de seguridad | cassetta | cassetta di sicurezza |
        schließfach | schliessfach | kluis | locker | incident | incidente | incidencia | intervention |
        intervención | intervento | einsatz | einsatznummer | mission | missione | inzet | melding |
        transaction | transactie | transactienr | transaktion | opération | operación | operazione |
        dossier titoli | depot | trade | ticket no""",
}

# Key names of `key=value` logs and exports that hold an identifier or a name.
KEY_ID = r"[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)*"
KEY_HINTS = (r"(?:id|no|nr|num|number|acct|account|iban|card|pan|mrn|ssn|nhs|nino|phone|tel|mobile|"
             r"email|mail|user|login|member|policy|patient|customer|client|cif|loan|plate|vin|serial|"
             r"device|imei|passport|licen[cs]e|dob|birth|zip|postcode|addr|address|street|ip)")
KEY_NAME_HINTS = (r"(?:name|nom|nombre|nome|naam|vorname|nachname|apellido|cognome|user(?:name)?|holder|"
                  r"by|author|operator|agent|clinician|customer|patient|staff|login)")

# Words that name a place of residence before an address in free text.
ADDRESS_LABELS = alternation("""
    address | home address | addr | residence | residing at | lives at | domicile | street |
    adresse | anschrift | wohnhaft | wohnort | wohnadresse | straße | domicilié | domiciliée |
    demeurant | adresse postale | dirección | direccion | domicilio | residente en | vive en |
    indirizzo | residenza | residente in | abita in | domiciliato | domiciliata | via | adres |
    woonadres | woonachtig | woonplaats | straat""")

# Months, abbreviations included, in the six languages.
MONTHS = alternation("""
    january | february | march | april | may | june | july | august | september | october |
    november | december | jan | feb | mar | apr | jun | jul | aug | sep | sept | oct | nov | dec |
    januar | jänner | februar | märz | maerz | mai | juni | juli | oktober | dezember | mär | mrz |
    okt | dez | janvier | février | fevrier | mars | avril | juin | juillet | août | aout | septembre |
    octobre | novembre | décembre | decembre | janv | févr | fevr | avr | juil | déc |
    enero | febrero | marzo | abril | mayo | junio | julio | agosto | septiembre | setiembre |
    octubre | noviembre | diciembre | ene | abr | ago | dic |
    gennaio | febbraio | aprile | maggio | giugno | luglio | settembre | ottobre | dicembre | gen |
    mag | giu | lug | ott | januari | februari | maart | mei | augustus | oktober | mrt""")

# Day and year words of spelled-out dates ("the fifth of March, nineteen eighty-two").
_UNITS = "one two three four five six seven eight nine".split()
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
             "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
             "thirtieth").split()
_UNIT_ORDINALS = _ORDINALS[:9]
DAY_WORDS = alternation(" | ".join(
    _ORDINALS + [f"{tens}{sep}{u}" for tens in ("twenty", "thirty") for sep in ("-", " ")
                 for u in (_UNIT_ORDINALS if tens == "twenty" else ["first"])]
    + "premier | primo | primero | erster | ersten | eerste | un | deux | trois | quatre | cinq | "
      "uno | dos | tres | cuatro | cinco | due | tre | quattro | cinque | eins | zwei | drei".split(" | ")))
YEAR_WORDS = (r"(?:nineteen|twenty|two\s+thousand(?:\s+and)?)(?:[\s-]+(?:hundred|oh|"
              r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|"
              r"five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
              r"seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine)){1,2}")

# Digits read out as words, for phone numbers dictated into notes.
DIGIT_WORDS = alternation("""
    zero | oh | one | two | three | four | five | six | seven | eight | nine | double |
    null | eins | zwei | drei | vier | fünf | sechs | sieben | acht | neun |
    zéro | un | deux | trois | quatre | cinq | six | sept | huit | neuf |
    cero | uno | dos | tres | cuatro | cinco | seis | siete | ocho | nueve |
    due | tre | quattro | cinque | sei | sette | otto | nove |
    nul | een | twee | drie | vier | vijf | zes | zeven | negen""")

# Field names (table headers, row labels, JSON and log keys) of the kinds that are not
# identifiers with a label of their own. fields.py looks a header up here and in LABELS.
FIELD_WORDS: dict[str, str] = {
    "PERSON": """
        name | names | full name | first name | last name | surname | given name | given names |
        forename | middle name | maiden name | family name | patient name | customer name |
        client name | account name | account holder | holder | cardholder | card holder | payee |
        payer | beneficiary name | debtor | creditor | remitter | ordering party | contact person |
        next of kin | nok | emergency contact | guardian | physician | doctor | nurse | clinician |
        attending | consultant | author | signed by | operator | agent | staff name | user | username |
        initials | vorname | nachname | familienname | zuname | geburtsname | kontoinhaber | inhaber |
        arzt | ärztin | pflegekraft | pfleger | ansprechpartner | angehörige | bearbeiter |
        nom | prénom | prenom | nom de famille | nom patient | nom du patient | titulaire | médecin |
        infirmier | infirmière | contact | nombre | apellido | apellidos | nombre y apellidos |
        nombre completo | titular | médico | enfermero | enfermera | nome | cognome |
        nome e cognome | cognome e nome | nominativo | intestatario | medico | infermiere |
        naam | voornaam | achternaam | roepnaam | tussenvoegsel | rekeninghouder | arts |
        verpleegkundige | behandelaar | contactpersoon | practitioner | praticien | prescriber |
        prescripteur | verordner | prescriptor | prescrittore | voorschrijver | referring physician |
        zuweiser | médecin traitant | hausarzt | huisarts | medico curante | médico de cabecera |
        administered by | given by | verabreicht von | administré par | administrado por |
        somministrato da | toegediend door | witness | zeuge | témoin | testigo | testimone | getuige |
        verabreicht | gegenzeichnung | gegengezeichnet | behandler | facultativo | consignee |
        recipient | addressee | empfänger | destinataire | destinatario | geadresseerde | ontvanger |
        provider | leistungserbringer | prestataire | proveedor | prestatore | zorgverlener |
        driver | fahrer | chauffeur | conductor | autista | bestuurder | courier | family | given |
        family name | given name | firstname | lastname | forenames | nombre pila | primer apellido |
        segundo apellido | prenoms | cognomi | voorletters | sign | signature | signed | initials |
        kürzel | handzeichen | hz | visum | paraphe | visa | firma | sigla | paraaf | visitor | visitors |
        visiteur | visitatore | visitante | bezoeker | besucher | received by | reçu par | ricevuto da |
        atiende | atendido por | ontvangen door | empfangen von | checked by | geprüft von | crew | staff""",
    "ADDRESS": """
        address | home address | street address | addr | street | street name | house number |
        address line | address line 1 | address line 2 | residence | city | town | place of residence |
        municipality | county | district | locality | state | province | region |
        adresse | anschrift | straße | strasse | hausnummer | wohnort | ort | stadt | wohnadresse |
        wohnsitz | gemeinde | adresse postale | rue | ville | commune | domicile | localité |
        dirección | direccion | domicilio | calle | ciudad | localidad | población | municipio |
        indirizzo | via | città | citta | comune | residenza | località | domicilio |
        adres | woonadres | straat | huisnummer | woonplaats | plaats | gemeente | stad""",
    "ZIP_CODE": """
        zip | zip code | zipcode | postcode | postal code | post code | postleitzahl | plz |
        code postal | cp | c.p. | código postal | cap | c.a.p. | codice postale | postcode""",
    "AGE_OVER_89": """age | age years | alter | âge | edad | età | eta | leeftijd | lft | ans | anni | años | jaar""",
    "DATE": """
        dob | date naiss | date de naiss | naiss | fecha nac | f nac | f. nac | fec nac | nac |
        data nasc | data di nasc | nasc | geb datum | gebdat | geb.-datum | geboortedat | date of birth | birth date | birthdate | birthday | born | geburtsdatum | geb | geboren |
        date de naissance | né le | née le | naissance | ddn | fecha de nacimiento | f. nacimiento |
        nacimiento | data di nascita | nato il | nata il | nascita | geboortedatum | geb. datum |
        admission date | discharge date | date of death | death date | sterbedatum | date de décès |
        fecha de defunción | data del decesso | overlijdensdatum | aufnahmedatum | entlassdatum |
        date | datum | fecha | data | dag | day | jour | tag | día | giorno | visit date |
        date of service | service date | f servicio | f ingreso | f alta | f atención | f prestación |
        f visita | f consulta | f prel | f ricovero | f dimissione | date de soins | date soins | behandlungsdatum | fecha atención |
        date d'admission | fecha de ingreso | data di ricovero | opnamedatum""",
    "OTHER_ID": """
        invoice | invoice no | invoice number | facture | n facture | numéro de facture | rechnung |
        rechnungsnummer | rechnungs-nr | factura | número de factura | fattura | numero fattura |
        factuur | factuurnummer | claim | claim id | claim number | sinistre | schadennummer |
        reference | référence | referenz | referencia | riferimento | referentie | kenmerk |
        parcel | tracking | tracking number | consignment | shipment | sendung | sendungsnummer |
        colis | envoi | bulto | envío | envio | collo | spedizione | zending | pakket | beleg""",
    "EMAIL_ADDRESS": """email | e-mail | mail | email address | courriel | correo | correo electrónico | posta elettronica""",
}

# Columns and fields that hold content, not identifiers: codes of coding systems, amounts, drugs,
# doses, wards, roles, shifts, times, results and units. Hits inside their cells are dropped
# (fields.py), and so are hits on header cells.
CONTENT_FIELDS = """
    icd | icd10 | icd 10 | icd-10 | icd code | cim | cim10 | cim 10 | cie | cie10 | cie 10 | ccam | ops |
    ops code | cpt | cpt code | hcpcs | ndc | snomed | snomed ct | loinc | atc | drg | g-drg | ghm |
    code acte | acte | prestation | leistung | procedure | procedure code | diagnosis | diagnosis code |
    diagnose | diagnosen | diagnostic | diagnóstico | diagnosi | diagnosis text | dx | hauptdiagnose |
    amount | montant | betrag | importe | importo | bedrag | total | sum | summe | saldo | balance |
    solde | paid | due | price | prix | preis | precio | prezzo | prijs | cost | kosten | coste | costo |
    honoraires | tarif | tarifa | tariffa | fee | fees | charge | charges | currency | devise | währung |
    moneda | valuta | munt | rate | taux | zins | interés | tasso | rente |
    drug | drugs | medication | medications | medicine | medikament | medikation | arzneimittel |
    wirkstoff | médicament | medicament | medicamento | fármaco | farmaco | geneesmiddel | medicatie |
    substance | product | produit | produkt | producto | prodotto |
    dose | dosis | dosage | dosierung | posologie | posología | dosaggio | posologia | dosering |
    route | voie | applikation | weg | vía de administración | via di somministrazione | toediening |
    frequency | frequenz | fréquence | frecuencia | frequenza | frequentie |
    ward | station | service | servicio | reparto | afdeling | abteilung | department | dept |
    specialty | speciality | fachabteilung | fachbereich | unidad | servizio | planta | bereich |
    role | function | funktion | fonction | función | funcion | funzione | ruolo | functie | rol |
    qualification | qualifikation | position | poste | grade | shift | dienst | schicht | turno |
    équipe | equipe | dienstsoort |
    time | heure | uhr | uhrzeit | hora | ora | tijd | tijdstip | start | end | begin | beginn | ende |
    début | debut | fin | inicio | fine | inizio | eind | von | bis | from | to | de | a | à |
    result | results | résultat | resultat | ergebnis | resultado | risultato | uitslag | value |
    wert | valeur | valor | valore | waarde | units | einheit | unité | unidad | unità | eenheid |
    reference range | referenzbereich | normes | valeurs de référence | intervalo de referencia |
    referentiewaarde | range | norm | flag | status | statut | estado | stato | comment | kommentar |
    commentaire | comentario | commento | opmerking | remarks | note | notes | bemerkung |
    reason | motif | motivo | anlass | grund | reden | indication | indikation | indicación |
    weight | gewicht | poids | peso | stop | stopp | arrêt | arret | tappa | parada | halte |
    bed | bett | lit | cama | letto | zimmer | room | chambre | habitación | stanza | kamer |
    qualifica | qualifikation | funktion | appl | applikation | zeit | opm | remarque | remarques |
    hinweis | nota | note | bemerkung | cod prest | prestazione | zorgproduct | dbc zorgproduct |
    icd9cm | icd9 | icd 9 cm | ziffer | gebührenziffer | erstattung | erstattungsfähig | eigenanteil |
    remboursement | reembolso | rimborso | vergoeding | eigen risico | franchise | copago |
    selbstbehalt | base de remboursement | cubierto | coperto | vergoed | code | codice | código |
    hr | bp | rr | spo2 | temp | gcs | pain | score | news | news2 | vas | nrs | eva | fio2 | peep |
    ta | fc | fr | sat | t | hf | af | puls | pulse | blutdruck | tension | tensión | pressione |
    bloeddruk | pols | temperatur | température | temperatura | temperatuur"""
