"""Demo offers for Lyngby-Taarbæk's common offer catalogue (fælles tilbudskatalog).

Every offer is named in the seed documents (000 handleplan, 001 helhedsplan, 002 Rudersdal,
004 the June 2019 minutes with the quality standards and Skole på Tværs) and is described
only with what the seeds say about it, or in neutral general words. Addresses, phone numbers,
e-mails and web addresses are used where the seed names them; otherwise contact details are
fictional (…@example.invalid, 45 00 xx xx). Prices and payment notes follow LTK's quality
standards of 2019. Offers are created through ``catalogue.services`` by the demo catalogue
editor, so they are audited and indexed like any other offer."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from samplan.catalogue.models import Offer
from samplan.core.models import OrgUnit, Role
from samplan.standards.models import QualityStandard
from samplan.terminology import ffb

K = Offer.Kind
KIND, OWN = OrgUnit.Kind, OrgUnit.Ownership

EDITOR = ("katalog", "Anne", "Kjær")  # username, first name, last name of the catalogue editor

# Organisations that own offers but are not (yet) units of the demo municipality:
# name, kind, ownership, parent.
OWNERS = [
    ("Kirkens Korshær", KIND.OTHER, OWN.VOLUNTARY, None),
    ("Frivilligcenter & Selvhjælp Lyngby-Taarbæk", KIND.OTHER, OWN.VOLUNTARY, None),
    ("IF Limone", KIND.OTHER, OWN.VOLUNTARY, None),
    ("headspace Lyngby-Taarbæk", KIND.OTHER, OWN.VOLUNTARY, None),
    ("Sind", KIND.OTHER, OWN.VOLUNTARY, None),
    ("Sind Lyngby-Taarbæk", KIND.OTHER, OWN.VOLUNTARY, "Sind"),
    ("SIND Ungdom", KIND.OTHER, OWN.VOLUNTARY, "Sind"),
    ("Bedre Psykiatri Lyngby-Taarbæk", KIND.OTHER, OWN.VOLUNTARY, None),
    ("Foreningen Peers", KIND.OTHER, OWN.VOLUNTARY, None),
    ("Café Stolpen", KIND.OTHER, OWN.VOLUNTARY, None),
    ("Mødested Gladsaxe", KIND.OTHER, OWN.VOLUNTARY, None),
    ("GIF", KIND.OTHER, OWN.VOLUNTARY, None),
    # The other partners of Skole på Tværs, as owners of their offers in LTK's catalogue.
    ("Rudersdal Kommune", KIND.OTHER, OWN.MUNICIPAL, None),
    ("Gentofte Kommune", KIND.OTHER, OWN.MUNICIPAL, None),
    ("Gladsaxe Kommune", KIND.OTHER, OWN.MUNICIPAL, None),
    ("Region Hovedstadens Psykiatri", KIND.REGION, OWN.REGIONAL, None),
]
# Units the demo organisation normally has already (generator.LTK_UNITS); made if missing.
KNOWN_UNITS = {
    "Center for Social Indsats": (KIND.CENTRE, OWN.MUNICIPAL),
    "Center for Sundhed og Omsorg": (KIND.CENTRE, OWN.MUNICIPAL),
    "Jobcenter Lyngby-Taarbæk": (KIND.TEAM, OWN.MUNICIPAL),
    "Slotsvænget": (KIND.PROVIDER, OWN.MUNICIPAL),
    "Akuttilbuddet": (KIND.PROVIDER, OWN.MUNICIPAL),
    "DSI Nettet": (KIND.PROVIDER, OWN.SELF_GOVERNING),
    "Kirsten Marie": (KIND.PROVIDER, OWN.SELF_GOVERNING),
    "Støttecenter Magneten": (KIND.PROVIDER, OWN.MUNICIPAL),
    "Chr. X's Allé": (KIND.PROVIDER, OWN.MUNICIPAL),
    "Kvindehuset": (KIND.PROVIDER, OWN.SELF_GOVERNING),
    "Psykiatrisk Center Ballerup": (KIND.REGION, OWN.REGIONAL),
    "Distriktspsykiatrien Gladsaxe": (KIND.REGION, OWN.REGIONAL),
}

# What the citizen pays, in the words of LTK's quality standards (2019).
PAY_85 = "Støtten er gratis. Du betaler selv for din egen deltagelse i aktiviteter, fx entré og transport."
PAY_103 = "Du får løn efter reglerne for beskyttet beskæftigelse. Transport op til 10 km betaler du selv."
PAY_104 = "Tilbuddet er gratis, men du kan selv skulle betale fx udflugter, materialer og mad."
PAY_107 = "Kommunen træffer afgørelse om din egenbetaling til fx el, varme, kost og vask, hvis det indgår i tilbuddet."
PAY_108 = "Du betaler husleje, hvis du bor i en almen bolig, og ellers egenbetaling til fx el, varme, kost og vask."
VISITATION = "Kræver visitation. Kontakt kommunen (Center for Social Indsats), hvis du vil søge om tilbuddet."
PSYCH = "Psykiske vanskeligheder"


@dataclass
class Spec:
    title: str
    kind: str
    owner: str
    summary: str
    description: str = ""
    audience: str = ""
    targets: tuple = (PSYCH,)
    open_access: bool = False
    access_note: str = ""
    legal_basis: str = ""
    standard: str = ""  # key of LTK's quality standard, e.g. "§85"
    price_note: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    area: str = ""
    opening_hours: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    extra: dict = field(default_factory=dict)


OFFERS = [
    # --- Municipal §-services and self-governing providers (001, 004, DOMAIN §10) --------
    Spec(
        "Socialpædagogisk støtte – Slotsvænget",
        K.MUNICIPAL,
        "Slotsvænget",
        "Støtte til at klare hverdagen i eget hjem, alene eller i grupper sammen med andre.",
        "Slotsvænget er et kommunalt tilbud under Center for Social Indsats. Støtten gives efter serviceloven § 85 "
        "i dit eget hjem eller i Slotsvængets boliger til mennesker med sindslidelser (almene boliger efter "
        "almenboligloven § 105). Meget af støtten foregår i grupper, og målet er, at du kan mere selv.",
        audience="Voksne over 18 år med psykiske vanskeligheder, som har brug for støtte til at klare hverdagen.",
        targets=(PSYCH, "Social isolation"),
        access_note=VISITATION,
        legal_basis="§85",
        standard="§85",
        price_note=PAY_85,
        area="Lyngby",
    ),
    Spec(
        "Aktivitets- og samværstilbud – Slotsvænget",
        K.MUNICIPAL,
        "Slotsvænget",
        "Fællesskab og aktiviteter i dagtimerne for voksne med psykiske vanskeligheder.",
        "Dagtilbuddet på Slotsvænget bruges både af beboere og af borgere, der bor andre steder – efter visitation.",
        audience="Voksne med betydelig nedsat psykisk funktionsevne, som har brug for fællesskab og aktiviteter.",
        targets=(PSYCH, "Social isolation"),
        access_note=VISITATION,
        legal_basis="§104",
        standard="§104",
        price_note=PAY_104,
        area="Lyngby",
    ),
    Spec(
        "Længerevarende botilbud – Slotsvænget",
        K.MUNICIPAL,
        "Slotsvænget",
        "Et varigt hjem med den støtte, du har brug for – også for særligt krævende målgrupper.",
        "Botilbud efter serviceloven § 108 for voksne med betydelig og varig nedsat psykisk funktionsevne.",
        audience="Voksne med betydelig og varig nedsat psykisk funktionsevne.",
        targets=("Psykisk funktionsnedsættelse", PSYCH),
        access_note=VISITATION,
        legal_basis="§108",
        standard="§108",
        price_note=PAY_108,
        area="Lyngby",
    ),
    Spec(
        "Flyverteamet – beskyttet beskæftigelse",
        K.MUNICIPAL,
        "Slotsvænget",
        "Beskyttet beskæftigelse for voksne, der ikke kan få eller holde et job på almindelige vilkår.",
        "Flyverteamet hører til Slotsvænget og giver beskyttet beskæftigelse efter serviceloven § 103.",
        audience="Voksne fra 18 år til folkepensionsalderen, typisk med førtidspension.",
        targets=(PSYCH,),
        access_note=VISITATION,
        legal_basis="§103",
        standard="§103",
        price_note=PAY_103,
        area="Lyngby",
    ),
    Spec(
        "Akuttilbuddet",
        K.ACUTE,
        "Akuttilbuddet",
        "Døgnåbent tilbud med psykisk førstehjælp til mennesker i akut psykisk krise – ring eller mød op.",
        "Akuttilbuddet er et døgnåbent tilbud, hvor der ydes psykisk førstehjælp til mennesker i akut psykisk krise. "
        "Der tilbydes samtaler over telefonen, og du kan møde op hele døgnet. Hvis du ønsker det, laver I en kriseplan "
        "sammen. Ved behov er der mulighed for at overnatte i 1–2 døgn, hvis du er så udfordret, at du ikke kan være "
        "hjemme. Akuttilbuddet kan også vejlede og støtte i kontakten med myndigheder, læge og andre.\n\n"
        "Pårørende til borgere i akut psykisk krise kan også henvende sig for råd og vejledning.",
        audience="Borgere med psykisk sygdom, som har brug for akut støtte, omsorg eller rådgivning – og deres pårørende.",
        targets=(PSYCH, "Angst", "Depression"),
        open_access=True,
        access_note="Ring eller mød op hele døgnet. Der kræves ikke henvisning.",
        legal_basis="§82c",
        standard="§82",
        address="Slotsvænget 23A",
        postcode="2800",
        city="Kongens Lyngby",
        area="Lyngby",
        opening_hours="Hele døgnet, alle dage (telefon og fremmøde)",
        phone="70 26 50 01",
        email="akuttilbuddet@ltk.dk",
        website="http://akuttilbuddet.dk/",
    ),
    Spec(
        "Midlertidigt botilbud – DSI Nettet",
        K.PROVIDER,
        "DSI Nettet",
        "Et midlertidigt hjem med intensiv støtte – også for unge.",
        "DSI Nettet er et selvejende tilbud med midlertidigt botilbud efter serviceloven § 107. Opholdet varer op til "
        "1–2 år, og målet er, at du bagefter kan klare dig i egen bolig med mindre støtte.",
        audience="Voksne og unge over 18 år, som i en periode har brug for omfattende støtte.",
        targets=(PSYCH,),
        access_note=VISITATION,
        legal_basis="§107",
        standard="§107",
        price_note=PAY_107,
        area="Lyngby",
    ),
    Spec(
        "Socialpædagogisk støtte – DSI Nettet",
        K.PROVIDER,
        "DSI Nettet",
        "Støtte til at klare hverdagen i eget hjem fra et selvejende tilbud.",
        "DSI Nettet leverer socialpædagogisk støtte efter serviceloven § 85.",
        audience="Voksne over 18 år med psykiske vanskeligheder.",
        targets=(PSYCH,),
        access_note=VISITATION,
        legal_basis="§85",
        standard="§85",
        price_note=PAY_85,
        area="Lyngby",
    ),
    Spec(
        "Virksomheden Hjorten",
        K.PROVIDER,
        "DSI Nettet",
        "Beskyttet beskæftigelse og aktivitets- og samværstilbud under DSI Nettet.",
        "Hjorten hører til DSI Nettet og har både beskyttet beskæftigelse (serviceloven § 103) og "
        "aktivitets- og samværstilbud (§ 104).",
        audience="Voksne, der ikke kan få eller holde et job på almindelige vilkår.",
        targets=(PSYCH,),
        access_note=VISITATION,
        legal_basis="§103",
        standard="§103",
        price_note=PAY_103,
        area="Lyngby",
    ),
    Spec(
        "Midlertidigt botilbud – Kirsten Marie",
        K.PROVIDER,
        "Kirsten Marie",
        "Et midlertidigt hjem med støtte fra et selvejende tilbud.",
        "Kirsten Marie er et selvejende tilbud med midlertidigt botilbud efter serviceloven § 107.",
        audience="Voksne over 18 år, som i en periode har brug for omfattende støtte.",
        targets=(PSYCH,),
        access_note=VISITATION,
        legal_basis="§107",
        standard="§107",
        price_note=PAY_107,
        area="Lyngby",
    ),
    Spec(
        "Dagtilbud – Kirsten Marie",
        K.PROVIDER,
        "Kirsten Marie",
        "Aktivitets- og samværstilbud hos Kirsten Marie.",
        "Kirsten Marie har et aktivitets- og samværstilbud efter serviceloven § 104.",
        audience="Voksne med betydelig nedsat psykisk funktionsevne.",
        targets=(PSYCH, "Social isolation"),
        access_note=VISITATION,
        legal_basis="§104",
        standard="§104",
        price_note=PAY_104,
        area="Lyngby",
    ),
    Spec(
        "Støttecenter Magneten",
        K.MUNICIPAL,
        "Støttecenter Magneten",
        "Boliger med socialpædagogisk støtte for voksne udviklingshæmmede.",
        "Støttecenter Magneten er kommunens eget tilbud: almene boliger efter almenboligloven § 105 med "
        "socialpædagogisk støtte efter serviceloven § 85.",
        audience="Voksne udviklingshæmmede.",
        targets=("Udviklingshæmning",),
        access_note=VISITATION,
        legal_basis="§85",
        standard="§85",
        price_note=PAY_85,
        area="Lyngby",
    ),
    Spec(
        "Kastanjevej – aktivitets- og samværstilbud",
        K.MUNICIPAL,
        "Center for Social Indsats",
        "Socialt samvær og aktiviteter i fællesskab – ca. 33 borgere kommer dagligt.",
        "Kastanjevej er et aktivitets- og samværstilbud til voksne borgere med varigt nedsat psykisk funktionsevne "
        "eller særlige sociale problemer, som har behov for socialt samvær og aktiviteter i fællesskab. Tilbuddet "
        "gives til borgere med støtte efter § 85 i eget hjem og i Støttecenterets egne botilbud.\n\n"
        "Indholdet kan fx være kreative aktiviteter, sansestimulerende aktiviteter, socialt samvær, "
        "udendørsaktiviteter og havearbejde, sang og rytmik.",
        audience="Voksne med varigt nedsat psykisk funktionsevne eller særlige sociale problemer.",
        targets=("Psykisk funktionsnedsættelse", "Social isolation"),
        access_note=VISITATION,
        legal_basis="§104",
        standard="§104",
        price_note=PAY_104,
        area="Lyngby",
    ),
    Spec(
        "Chr. X's Allé – boliger for voksne med autisme",
        K.MUNICIPAL,
        "Chr. X's Allé",
        "Boliger med socialpædagogisk støtte for voksne med autisme.",
        "Chr. X's Allé er kommunens eget tilbud: almene boliger efter almenboligloven § 105 med socialpædagogisk "
        "støtte efter serviceloven § 85.",
        audience="Voksne med autisme.",
        targets=("Autismespektrum",),
        access_note=VISITATION,
        legal_basis="§85",
        standard="§85",
        price_note=PAY_85,
        area="Lyngby",
    ),
    Spec(
        "Kvindehuset – krisecenter",
        K.PROVIDER,
        "Kvindehuset",
        "Krisecenter for kvinder med 12 pladser.",
        "Krisecentret Kvindehuset har 12 faste pladser. Krisecentret samarbejder med kommunen om børn og familier "
        "fra Lyngby-Taarbæk Kommune.",
        audience="Kvinder, der har brug for et midlertidigt ophold på et krisecenter.",
        targets=("Voldeligt overgreb",),
        open_access=True,
        access_note="Kontakt krisecentret. Krisecentret vurderer selv, om der er en plads til dig.",
        legal_basis="§109",
    ),
    Spec(
        "Gruppebaserede forløb i Center for Sundhed og Omsorg",
        K.MUNICIPAL,
        "Center for Sundhed og Omsorg",
        "Forløb i grupper for borgere, der har – eller er i risiko for at få – nedsat funktionsevne.",
        "Lyngby-Taarbæk Kommune har en række målrettede forløb efter serviceloven § 82 a for borgere, som har eller er "
        "i risiko for at udvikle nedsat fysisk eller psykisk funktionsevne, og for borgere med sociale problemer. "
        "Hjælpen er kortvarig.",
        audience="Voksne med nedsat funktionsevne eller sociale problemer – eller i risiko for det.",
        targets=(PSYCH, "Stressbelastning", "Social isolation"),
        access_note="På sundhed.ltk.dk kan du læse om forløbene, og hvordan du kan blive henvist til dem.",
        legal_basis="§82a",
        standard="§82",
        website="http://www.sundhed.ltk.dk/",
        area="Hele kommunen",
    ),
    Spec(
        "Mentorordning – Jobcenter Lyngby-Taarbæk",
        K.MUNICIPAL,
        "Jobcenter Lyngby-Taarbæk",
        "En mentor kan støtte dig i at gennemføre en uddannelse eller komme ind på en arbejdsplads.",
        "Mentorordning efter lov om en aktiv beskæftigelsesindsats. Jobcentret afgør, om du kan få en mentor.",
        audience="Borgere, der får hjælp fra jobcentret.",
        targets=(PSYCH,),
        access_note="Tal med din sagsbehandler i jobcentret.",
        area="Hele kommunen",
    ),
    Spec(
        "Personlig assistance på arbejdspladsen – Jobcenter Lyngby-Taarbæk",
        K.MUNICIPAL,
        "Jobcenter Lyngby-Taarbæk",
        "Praktisk hjælp til at løse arbejdsopgaver, hvis du har en funktionsnedsættelse.",
        "Timer til personlig assistance på arbejdspladsen udmåles af jobcentret – ikke efter serviceloven.",
        audience="Borgere i job med en funktionsnedsættelse.",
        targets=("Psykisk funktionsnedsættelse",),
        access_note="Tal med din sagsbehandler i jobcentret.",
        area="Hele kommunen",
    ),
    # --- Relatives ---------------------------------------------------------------------------
    Spec(
        "Pårørendevejleder",
        K.RELATIVES,
        "Center for Social Indsats",
        "Samtaler, pårørendegrupper og temaaftener for pårørende til mennesker med psykiske vanskeligheder.",
        "Kommunens pårørendevejleder holder individuelle samtaler med pårørende, støtter pårørendegrupper og holder "
        "temaaftener om efterspurgte emner. Når pårørende trives, kan de bedre være der for deres nærmeste – og passe "
        "på sig selv.",
        audience="Pårørende til borgere med psykiske vanskeligheder.",
        targets=(PSYCH,),
        open_access=True,
        access_note="Du kan selv kontakte pårørendevejlederen.",
        area="Hele kommunen",
    ),
    Spec(
        "Pårørendegruppe – Bedre Psykiatri Lyngby-Taarbæk",
        K.RELATIVES,
        "Bedre Psykiatri Lyngby-Taarbæk",
        "En gruppe, hvor pårørende til mennesker med psykisk sygdom mødes og deler erfaringer.",
        "Lokalafdelingen af Bedre Psykiatri er en forening for pårørende. I pårørendegruppen mødes pårørende og taler sammen.",
        audience="Pårørende til mennesker med psykisk sygdom.",
        targets=(PSYCH,),
        open_access=True,
        access_note="Kontakt foreningen.",
        area="Lyngby",
    ),
    Spec(
        "Sind Pårørenderådgivning",
        K.RELATIVES,
        "Sind",
        "Rådgivning til pårørende til mennesker med psykiske vanskeligheder.",
        "Sind er en landsforening. Pårørenderådgivningen er for pårørende, der har brug for at tale med nogen.",
        audience="Pårørende til mennesker med psykiske vanskeligheder.",
        targets=(PSYCH,),
        open_access=True,
        access_note="Ring eller skriv til rådgivningen.",
        area="Hele landet",
    ),
    # --- Volunteers, associations and cafés ---------------------------------------------------
    Spec(
        "Sind Lyngby-Taarbæk",
        K.VOLUNTARY,
        "Sind Lyngby-Taarbæk",
        "Lokalafdeling af Sind med fællesskab for mennesker med psykiske vanskeligheder og deres pårørende.",
        "Sinds lokalafdeling har bidraget til kommunens handleplan for det psykosociale område.",
        audience="Mennesker med psykiske vanskeligheder og deres pårørende.",
        targets=(PSYCH, "Social isolation"),
        open_access=True,
        access_note="Kontakt lokalafdelingen.",
        area="Lyngby",
    ),
    Spec(
        "SIND Ungdom – torsdagscafé",
        K.CAFE,
        "SIND Ungdom",
        "Café om torsdagen for unge.",
        "SIND Ungdom holder torsdagscafé. Limone Ung og SIND Ungdom undersøger, om torsdagstræningen og caféen kan "
        "kobles sammen, fordi de henvender sig til den samme gruppe unge.",
        audience="Unge, der savner et fællesskab.",
        targets=(PSYCH, "Social isolation"),
        open_access=True,
        access_note="Kom forbi en torsdag.",
        opening_hours="Torsdage",
        area="Lyngby",
    ),
    Spec(
        "Frivilligcenter & Selvhjælp Lyngby-Taarbæk",
        K.VOLUNTARY,
        "Frivilligcenter & Selvhjælp Lyngby-Taarbæk",
        "Selvhjælps- og netværksgrupper og hjælp til at finde et frivilligt fællesskab.",
        "Hos Frivilligcenter & Selvhjælp Lyngby-Taarbæk kan du få hjælp og støtte i en lang række selvhjælps- og "
        "netværksgrupper. Der er også hjælp og støtte til personer med flygtningebaggrund.\n\n"
        "Frivilligcentret er ikke professionel hjælp og overtager ikke kommunens opgaver.",
        audience="Alle, der vil være med i en selvhjælps- eller netværksgruppe eller være frivillig.",
        targets=("Social isolation", PSYCH),
        open_access=True,
        access_note="Du kan selv kontakte frivilligcentret.",
        website="https://ltk-frivilligcenter.dk/",
        area="Hele kommunen",
    ),
    Spec(
        "Gå-gruppe",
        K.VOLUNTARY,
        "Frivilligcenter & Selvhjælp Lyngby-Taarbæk",
        "Gå en tur sammen med andre – en netværksgruppe.",
        "En af netværksgrupperne: I går en tur sammen og snakker undervejs.",
        audience="Voksne, der gerne vil gå sammen med andre.",
        targets=("Social isolation",),
        open_access=True,
        access_note="Kontakt frivilligcentret.",
        area="Lyngby",
    ),
    Spec(
        "Samtalegruppe",
        K.VOLUNTARY,
        "Frivilligcenter & Selvhjælp Lyngby-Taarbæk",
        "En selvhjælpsgruppe, hvor I taler sammen om det, der fylder.",
        "En af selvhjælpsgrupperne hos frivilligcentret.",
        audience="Voksne, der har lyst til at dele erfaringer med andre i samme situation.",
        targets=(PSYCH, "Social isolation"),
        open_access=True,
        access_note="Kontakt frivilligcentret.",
        area="Lyngby",
    ),
    Spec(
        "Limone Ung – rummeligt idrætsfællesskab",
        K.VOLUNTARY,
        "IF Limone",
        "Træning og socialt samvær for unge på 18–30 år – tirsdag og torsdag.",
        "Limone Ung udspringer af IF Limone og drives i samarbejde med Frivilligcentret. Træningen er tirsdag og "
        "torsdag. Første del er træning og leg, anden del er hyggesnak og socialt samvær. Aktiviteterne spænder fra "
        "badminton og bordtennis til udendørstræning og aktivitetslege, og deltagerne er selv med til at vælge dem. "
        "Det handler ikke om at blive den bedste, men om at få rørt sig og hygge sig med de andre på holdet.\n\n"
        "Det er gratis at være med. Mange kommer første gang sammen med deres mentor eller sagsbehandler.",
        audience="Unge på ca. 18–30 år, der savner et rummeligt og socialt idrætsfællesskab.",
        targets=("Social isolation", PSYCH),
        open_access=True,
        access_note="Kom til en træning – gerne sammen med din mentor.",
        opening_hours="Tirsdag og torsdag ca. kl. 15–16/17 (ikke i sommerferien og på helligdage)",
        area="Lyngby",
    ),
    Spec(
        "headspace Lyngby-Taarbæk",
        K.VOLUNTARY,
        "headspace Lyngby-Taarbæk",
        "Gratis rådgivning til børn og unge på 12–25 år – du kan være anonym.",
        "headspace er et gratis rådgivningstilbud til børn og unge i alderen 12–25 år. Du kan få rådgivning og støtte "
        "om fx selvværd, uddannelsestvivl, angst, destruktive tanker, præstationspres, selvskade, konflikter med "
        "venner og familie, ensomhed, negative tanker og kærestesorger. Rådgivningen foregår på dine præmisser.\n\n"
        "Kommunen har en medarbejder hos headspace 10 timer om ugen.",
        audience="Børn og unge på 12–25 år.",
        targets=("Angst", "Social isolation", "Selvskadende adfærd"),
        open_access=True,
        access_note="Du kan selv henvende dig – og være helt anonym, hvis du ønsker det.",
        legal_basis="§82d",
        address="Jernbanepladsen 22",
        postcode="2800",
        city="Kongens Lyngby",
        area="Lyngby",
        website="https://www.headspace.dk/Lyngby",
    ),
    Spec(
        "Værestedet Paradiset",
        K.CAFE,
        "Kirkens Korshær",
        "Åbent værested for voksne med samvær, fællesskab og mad.",
        "Paradiset drives af Kirkens Korshær og er et værested for socialt udsatte og sårbare borgere i Lyngby. Her "
        "kan du være sammen med andre, få morgenmad og frokost, få hjælp til IT og komme med på udflugter. "
        "Ca. 50 borgere bruger tilbuddet.",
        audience="Voksne, der er socialt udsatte – fx med misbrug, psykisk sygdom eller på førtidspension.",
        targets=("Social isolation", "Misbrug", "Hjemløshed"),
        open_access=True,
        access_note="Kom bare forbi. Der kræves ikke henvisning.",
        address="Toftebæksvej 9",
        postcode="2800",
        city="Kongens Lyngby",
        area="Lyngby",
        opening_hours="Mandag–lørdag",
        phone="31 71 92 18",
        website="https://kbh.kirkenskorshaer.dk/her-er-vi/paradiset-i-lyngby/",
    ),
    Spec(
        "Café Stolpen",
        K.CAFE,
        "Café Stolpen",
        "Værested og café.",
        "Deltagere i Skole på Tværs nævner Café Stolpen som deres værested.",
        audience="Voksne, der savner et sted at være sammen med andre.",
        targets=("Social isolation",),
        open_access=True,
        access_note="Kom forbi.",
    ),
    Spec(
        "Mødested Gladsaxe",
        K.CAFE,
        "Mødested Gladsaxe",
        "Et mødested i Gladsaxe.",
        "Deltagere i Skole på Tværs nævner Mødested Gladsaxe som et af de tilbud, de bruger.",
        audience="Voksne, der savner et sted at mødes med andre.",
        targets=("Social isolation",),
        open_access=True,
        access_note="Kom forbi.",
        area="Gladsaxe",
    ),
    Spec(
        "GIF",
        K.VOLUNTARY,
        "GIF",
        "Idræt og fællesskab i en forening.",
        "Deltagere i Skole på Tværs nævner GIF som et af de tilbud, de bruger.",
        audience="Alle, der vil dyrke idræt sammen med andre.",
        targets=("Social isolation",),
        open_access=True,
        access_note="Kontakt foreningen.",
        price_note="Kontingent efter foreningens satser.",
    ),
    Spec(
        "Ressourcebanken",
        K.VOLUNTARY,
        "Rudersdal Kommune",
        "Sociale arrangementer og fællesskaber i Rudersdal, hvor du også selv kan bidrage.",
        "I Ressourcebanken kan du deltage i sociale arrangementer – og være med til at skabe dem. Det er en del af "
        "Rudersdal Kommunes arbejde med at gå »sammen ad nye veje« mod fællesskaber.",
        audience="Borgere i de psykosociale indsatser i Rudersdal og alle, der vil være med.",
        targets=("Social isolation", PSYCH),
        open_access=True,
        access_note="Kontakt Rudersdal Kommune.",
        area="Rudersdal",
    ),
    Spec(
        "Recoverycaféer i Rudersdal",
        K.CAFE,
        "Rudersdal Kommune",
        "Recoverycafé-forløb med frivillige tovholdere – kom ud og vær sammen med andre.",
        "Recoverycaféerne drives af frivillige tovholdere. Det handler om at komme ud, være sammen med andre og mærke "
        "energien, når man er flere sammen.",
        audience="Mennesker, der er ved at komme sig fra psykiske vanskeligheder.",
        targets=(PSYCH, "Social isolation"),
        open_access=True,
        access_note="Kontakt Rudersdal Kommune.",
        area="Rudersdal",
    ),
    Spec(
        "Bro til hverdagslivet – peerstøtte",
        K.PEER,
        "Rudersdal Kommune",
        "Frivillige peers med egne erfaringer med psykiske vanskeligheder støtter andre.",
        "I Bro til hverdagslivet er frivillige peers med til at støtte andre. At være frivillig peer kan også være et "
        "skridt videre for den, der selv er ved at komme sig.",
        audience="Mennesker med psykiske vanskeligheder – og dig, der vil være frivillig peer.",
        targets=(PSYCH,),
        open_access=True,
        access_note="Kontakt Rudersdal Kommune.",
        area="Rudersdal",
    ),
    Spec(
        "Foreningen Peers",
        K.PEER,
        "Foreningen Peers",
        "Peerstøtte: mennesker, der bruger deres egne erfaringer til at støtte andre.",
        "Skole på Tværs har drøftet et samarbejde med Foreningen Peers om kurser for frivillige støttepersoner.",
        audience="Mennesker med psykiske vanskeligheder og frivillige støttepersoner.",
        targets=(PSYCH,),
        open_access=True,
        access_note="Kontakt foreningen.",
        area="Hele landet",
    ),
    Spec(
        "Aktivitets- og Kompetencecentret",
        K.MUNICIPAL,
        "Rudersdal Kommune",
        "Rudersdal Kommunes aktivitets- og kompetencecenter i Holte.",
        "Et tilbud i Rudersdal Kommunes psykosociale indsatser. Her holder Skole på Tværs også kurser.",
        audience="Borgere i Rudersdal Kommunes psykosociale indsatser.",
        targets=(PSYCH,),
        access_note="Kontakt Rudersdal Kommune.",
        address="Rønnebærvej 19",
        postcode="2840",
        city="Holte",
        area="Rudersdal",
    ),
    # --- The region ----------------------------------------------------------------------------
    Spec(
        "Distriktspsykiatrien Gladsaxe",
        K.REGION,
        "Distriktspsykiatrien Gladsaxe",
        "Ambulant behandling i regionens psykiatri for borgere i Lyngby-Taarbæk.",
        "Distriktspsykiatrien er en del af Region Hovedstadens Psykiatri. Kommunen og distriktspsykiatrien samarbejder, "
        "så behandling og socialpsykiatriske indsatser støtter hinanden.",
        audience="Voksne, der er i ambulant psykiatrisk behandling.",
        targets=(PSYCH,),
        access_note="Kræver henvisning, fx fra egen læge.",
        area="Gladsaxe",
    ),
    Spec(
        "Psykiatrisk Center Ballerup",
        K.REGION,
        "Psykiatrisk Center Ballerup",
        "Regionens psykiatriske center med indlæggelse og ambulant behandling.",
        "Psykiatrisk Center Ballerup er en del af Region Hovedstadens Psykiatri. Her ligger også Skolen for Recovery.",
        audience="Voksne, der har brug for psykiatrisk behandling.",
        targets=(PSYCH,),
        access_note="Kræver henvisning.",
        address="Maglevænget 2",
        postcode="2750",
        city="Ballerup",
        area="Ballerup",
    ),
    Spec(
        "Skolen for Recovery",
        K.COURSE,
        "Region Hovedstadens Psykiatri",
        "Region Hovedstadens Psykiatris recoveryskole med kurser, der støtter recovery.",
        "Region Hovedstadens Psykiatri åbnede Skolen for Recovery i efteråret 2015. Her udbydes forskellige "
        "undervisningsmoduler, som skal støtte recovery-processer. Undervisningen er for patienter, medarbejdere og "
        "pårørende i Region Hovedstadens Psykiatri.",
        audience="Patienter, medarbejdere og pårørende i Region Hovedstadens Psykiatri.",
        targets=(PSYCH,),
        open_access=True,
        access_note="For patienter, pårørende og medarbejdere i regionens psykiatri.",
        address="Maglevænget 2, Bygning 2",
        postcode="2750",
        city="Ballerup",
        area="Ballerup",
    ),
    Spec(
        "Skole på Tværs – kurser i recovery",
        K.COURSE,
        "Center for Social Indsats",
        "Gratis kurser i recovery, hvor borgere, pårørende, medarbejdere og frivillige lærer sammen.",
        "Skole På Tværs tilbyder gruppebaserede læringsforløb til personer med psykisk sårbarhed, eventuelt sammen "
        "med deres pårørende, fagprofessionelle eller frivillige støttepersoner. Kurserne er udviklet i samarbejde "
        "mellem Region Hovedstadens Psykiatri, Skolen for Recovery og Lyngby-Taarbæk, Rudersdal, Gentofte og Gladsaxe "
        "kommuner. Hvert kursus har to undervisere – den ene med egne erfaringer med at komme sig.",
        audience="Borgere/patienter, pårørende, medarbejdere, ledere og frivillige i de fire kommuner og i Region "
        "Hovedstadens Psykiatri.",
        targets=(PSYCH,),
        open_access=True,
        access_note="Der kræves ikke henvisning. Se kurserne og tilmeld dig.",
        legal_basis="§82a",
        standard="§82",
        area="Hele kommunen",
        email="kontakt@skolepaatvaers.dk",
        phone="24 98 38 88",
        website="https://www.ltk.dk/borger/stoette-og-pleje/raadgivning-og-stoette-til-voksne/"
        "kursustilbud-til-borgere-med-psykiske-vanskeligheder",
    ),
]


def _slug(text: str) -> str:
    out = text.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e")):
        out = out.replace(a, b)
    return "".join(ch if ch.isalnum() else "-" for ch in out).strip("-").replace("--", "-")[:40].strip("-")


def ensure_units(municipality) -> dict:
    """The owner organisations of the demo offers (existing units are kept as they are)."""
    units = {u.name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    for name, (kind, ownership) in KNOWN_UNITS.items():
        if name not in units:
            units[name] = OrgUnit.objects.create(municipality=municipality, name=name, kind=kind, ownership=ownership)
    for name, kind, ownership, parent in OWNERS:
        if name not in units:
            units[name] = OrgUnit.objects.create(
                municipality=municipality, name=name, kind=kind, ownership=ownership, parent=units.get(parent)
            )
    return units


def target_groups_by_display() -> dict:
    """FFB target groups (every level of the branch) by display text; empty if FFB is not loaded."""
    if ffb.current_system() is None:
        return {}
    return {c.display: c for c in ffb.branch(ffb.TARGET_GROUPS)}


@dataclass
class CatalogueResult:
    editor: object
    units: dict
    offers: dict  # title -> Offer


def seed_catalogue(municipality, *, password: str) -> CatalogueResult:
    """Create the catalogue editor and the demo offers of ``municipality`` (idempotent:
    an offer with the same title and owner is left alone)."""
    from samplan.catalogue import services

    from .generator import _user

    units = ensure_units(municipality)
    editor = _user(
        EDITOR[0],
        Role.CATALOGUE_EDITOR,
        municipality=municipality,
        unit=units["Center for Social Indsats"],
        first_name=EDITOR[1],
        last_name=EDITOR[2],
        password=password,
    )
    groups = target_groups_by_display()
    standards = {s.key: s for s in QualityStandard.objects.filter(municipality=municipality)}
    today = timezone.localdate()
    offers = {}
    for n, spec in enumerate(OFFERS):
        owner = units[spec.owner]
        existing = Offer.objects.filter(municipality=municipality, title=spec.title, owner=owner).first()
        if existing is not None:
            offers[spec.title] = existing
            continue
        fields = {
            "kind": spec.kind,
            "title": spec.title,
            "summary": spec.summary,
            "description": spec.description,
            "audience": spec.audience,
            "open_access": spec.open_access,
            "access_note": spec.access_note,
            "legal_basis": spec.legal_basis,
            "standard": standards.get(spec.standard) if spec.standard else None,
            "price_note": spec.price_note,
            "address": spec.address,
            "postcode": spec.postcode,
            "city": spec.city,
            "area": spec.area,
            "opening_hours": spec.opening_hours,
            "owner": owner,
            "phone": spec.phone or f"45 00 {10 + n // 10:02d} {10 + n % 10 * 7:02d}",
            "email": spec.email or f"{_slug(spec.title)}@example.invalid",
            "website": spec.website,
            **spec.extra,
        }
        offer = services.create_offer(editor, target_groups=[groups[t] for t in spec.targets if t in groups], **fields)
        # Checked at different times: a few are more than a year old (they need a new check).
        verified = today - dt.timedelta(days=400 + n if n % 9 == 4 else 3 + (n * 37) % 300)
        Offer.objects.filter(pk=offer.pk).update(last_verified=verified)
        offers[spec.title] = offer
    return CatalogueResult(editor=editor, units=units, offers=offers)
