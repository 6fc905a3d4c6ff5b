"""Word lists for the fictional demo data (demodata). Names are common Danish first and
last names combined at random; addresses are made-up house numbers on real street names.
Nothing here describes a real person. Text is plain, non-stigmatising Danish (DOMAIN.md §1.6)."""

FEMALE_FIRST_NAMES = [
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Susanne",
    "Lene",
    "Camilla",
    "Louise",
    "Maria",
    "Charlotte",
    "Pia",
    "Tina",
    "Julie",
    "Sofie",
    "Emma",
    "Ida",
    "Freja",
    "Laura",
    "Cecilie",
    "Line",
    "Helle",
    "Marianne",
    "Birgitte",
    "Karen",
    "Signe",
    "Sara",
    "Mathilde",
    "Nanna",
    "Rikke",
    "Trine",
    "Astrid",
    "Clara",
    "Maja",
    "Amalie",
    "Josefine",
    "Ditte",
    "Malene",
    "Stine",
    "Gitte",
    "Inger",
]

MALE_FIRST_NAMES = [
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Thomas",
    "Søren",
    "Jan",
    "Niels",
    "Anders",
    "Martin",
    "Morten",
    "Jesper",
    "Mads",
    "Rasmus",
    "Christian",
    "Mikkel",
    "Frederik",
    "Jonas",
    "Emil",
    "Oliver",
    "William",
    "Lucas",
    "Magnus",
    "Kasper",
    "Simon",
    "Tobias",
    "Jakob",
    "Bo",
    "Kim",
    "Ole",
    "Erik",
    "Poul",
    "Hans",
    "Torben",
    "Kristian",
    "Nikolaj",
    "Mathias",
    "Sebastian",
    "Johan",
]

LAST_NAMES = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Lauridsen",
    "Holm",
    "Schmidt",
    "Eriksen",
    "Kristiansen",
    "Mikkelsen",
    "Frederiksen",
    "Lund",
    "Bach",
    "Dahl",
    "Vestergaard",
    "Østergaard",
    "Nørgaard",
    "Kjær",
    "Bak",
    "Skov",
    "Berg",
    "Winther",
    "Lindberg",
    "Friis",
    "Brandt",
    "Krogh",
    "Juhl",
    "Svendsen",
    "Iversen",
    "Thygesen",
    "Munk",
    "Vinther",
]

# Street names by (postcode, city). House numbers are drawn at random.
ADDRESSES_LTK = {
    ("2800", "Kongens Lyngby"): [
        "Lyngby Hovedgade",
        "Jernbanevej",
        "Toftebæksvej",
        "Klampenborgvej",
        "Buddingevej",
        "Sorgenfrivej",
        "Nørgaardsvej",
        "Ulrikkenborg Allé",
        "Lundtoftevej",
        "Rustenborgvej",
        "Bagsværdvej",
        "Carlshøjvej",
        "Lundtofte Bygade",
        "Hjortekærsvej",
        "Kollegiebakken",
        "Ermelundsvej",
        "Chr. X's Allé",
        "Akademivej",
    ],
    ("2830", "Virum"): [
        "Virumvej",
        "Frederiksdalsvej",
        "Grønnevej",
        "Virum Stationsvej",
        "Kongevejen",
        "Geelsvej",
        "Fuglesangsvej",
        "Skovbrynet",
        "Kaplevej",
        "Sorgenfrigårdsvej",
    ],
}

ADDRESSES_GLADSAXE = {
    ("2860", "Søborg"): ["Søborg Hovedgade", "Maglegårds Allé", "Vandtårnsvej", "Gladsaxe Møllevej"],
    ("2880", "Bagsværd"): ["Bagsværd Hovedgade", "Aldershvilevej", "Vadstrupvej"],
    ("2800", "Kongens Lyngby"): ["Buddingevej"],
}

FLOORS = ["", "", "", ", st.", ", 1. th.", ", 1. tv.", ", 2. th.", ", 2. tv.", ", 3. mf."]

RELATIONS = ["Mor", "Far", "Søster", "Bror", "Ægtefælle", "Datter", "Ven"]

# Inquiry reasons (anledning) by source.
INQUIRY_REASONS = {
    "citizen": [
        "Borgeren ringer og fortæller, at hverdagen er blevet svær at få til at hænge sammen efter en periode med angst.",
        "Borgeren ønsker hjælp til at få struktur på økonomi og post, som hober sig op.",
        "Borgeren vil gerne i gang med noget meningsfuldt i dagtimerne og spørger til aktivitetstilbud.",
        "Borgeren beskriver ensomhed og ønsker støtte til at komme ud blandt andre.",
    ],
    "relative": [
        "Moren henvender sig, fordi hendes søn har trukket sig fra venner og ikke passer sin uddannelse.",
        "Søsteren er bekymret for, at borgeren ikke får handlet ind og lavet mad.",
        "Ægtefællen beder om råd og støtte, da borgeren har svært ved at komme ud af lejligheden.",
    ],
    "hospital": [
        "Udskrivning fra Psykiatrisk Center Ballerup; behov for støtte i eget hjem efter indlæggelse.",
        "Distriktspsykiatrien Gladsaxe oplyser, at borgeren har brug for socialpædagogisk støtte ved siden af behandlingen.",
    ],
    "gp": [
        "Egen læge beskriver langvarig depression og behov for støtte til at fastholde en hverdag.",
        "Egen læge henviser med ønske om støtte til struktur og døgnrytme.",
    ],
    "jobcenter": [
        "Jobcentret har en borger i ressourceforløb, som har brug for støtte til at møde stabilt op.",
        "Jobcentret foreslår beskyttet beskæftigelse som skridt på vejen mod arbejdsmarkedet.",
    ],
    "police": [
        "Politiet har været kaldt til adressen flere gange; borgeren virker presset og alene.",
    ],
    "provider": [
        "Akuttilbuddet har haft flere kontakter med borgeren og vurderer, at der er behov for en længere indsats.",
    ],
}

CITIZEN_WISHES = [
    "Jeg vil gerne have en hverdag, hvor jeg selv kan klare indkøb og madlavning.",
    "Jeg drømmer om at starte på en uddannelse igen.",
    "Jeg vil gerne have nogen at gå en tur med og ikke sidde alene hver aften.",
    "Jeg vil have styr på mine regninger, så jeg ikke er bange for at åbne posten.",
    "Jeg vil gerne kunne tage bussen alene og besøge min familie.",
    "Jeg ønsker at få et arbejde nogle timer om ugen.",
    "Jeg vil gerne kunne sove om natten og have overskud til mine børn.",
    "Jeg vil gerne bo i min egen lejlighed og være en del af et fællesskab.",
    "Jeg vil gerne lære at mærke, når det bliver for meget, og vide, hvad jeg så kan gøre.",
    "Jeg vil gerne spille musik med andre igen.",
]

RESOURCES = [
    "Har god kontakt til sin søster og en nabo. Er god til at lave mad, når overskuddet er der.",
    "Kreativ og nysgerrig. Har tidligere gået til fodbold og vil gerne i gang igen.",
    "Har en stabil bolig og en hund, der giver faste gåture. Kontakt til mor hver uge.",
    "Har gennemført en faglig uddannelse og har erfaring fra lager og butik.",
    "God til at sige til og fra i trygge rammer. Har en ven fra Sind, som støtter.",
]

CONDITION_TEXTS = [
    "Beskriver selv, at det er svært at komme i gang, når dagen ikke har en fast struktur.",
    "Har brug for hjælp til at planlægge og huske aftaler.",
    "Klarer opgaven i gode perioder, men ikke når presset er stort.",
    "Undgår situationer med mange mennesker og har brug for følgeskab i starten.",
    "Oplever uro og søvnbesvær, som påvirker overskuddet i hverdagen.",
]

GOAL_TEXTS = {
    "Købe ind": "Handler selv ind en gang om ugen efter en indkøbsliste.",
    "Lave mad": "Laver et varmt måltid mindst tre dage om ugen.",
    "Varetage økonomi": "Har overblik over faste udgifter og betaler regninger til tiden.",
    "Håndtere post": "Åbner og sorterer posten og e-Boks hver uge.",
    "Indgå i samspil og kontakt": "Deltager i en samtale i en mindre gruppe uden at gå før tid.",
    "Deltage i sociale fællesskaber og fritidsaktiviteter": "Deltager i en fast fællesskabsaktivitet hver uge.",
    "Varetage relationer til netværk": "Har kontakt med en person fra sit netværk mindst hver uge.",
    "Varetage egen sundhed": "Holder sine aftaler i distriktspsykiatrien og hos egen læge.",
    "Gøre rent": "Holder køkken og bad rent efter en fast ugeplan.",
    "Færdes med transportmidler": "Tager selv bussen til faste aftaler.",
    "Varetage beskæftigelse": "Møder stabilt op på arbejdsstedet de aftalte dage.",
    "Varetage uddannelse": "Følger undervisningen på sin uddannelse mindst tre dage om ugen.",
    "Varetage bolig": "Bevarer sin bolig og har ingen restancer.",
}

DECISION_GRANTED = {
    "§85": "Borgeren har moderate til svære vanskeligheder på flere områder under Aktivitet og deltagelse. Socialpædagogisk støtte efter § 85 vurderes at være det mindst indgribende skridt, der kan hjælpe.",
    "§104": "Borgeren har behov for et aktivitets- og samværstilbud for at bryde isolation og få struktur på ugen.",
    "§103": "Borgeren kan ikke opnå eller fastholde beskæftigelse på almindelige vilkår og har behov for beskyttet beskæftigelse.",
    "§107": "Borgeren har i en periode behov for omfattende støtte, som ikke kan gives i eget hjem. Et midlertidigt botilbud bevilges med henblik på at komme videre til egen bolig.",
    "§108": "Borgeren har et betydeligt og varigt behov for hjælp, som ikke kan dækkes på anden måde. Et længerevarende botilbud bevilges.",
    "§82a": "Borgeren kan have gavn af et tidsbegrænset gruppeforløb, som kan forebygge et større behov for støtte.",
}

DECISION_REFUSED = {
    "§85": "Borgerens funktionsevne vurderes at være let nedsat (niveau 0–1) på de relevante områder. Kvalitetsstandarden for § 85 forudsætter niveau 2–4. Borgeren henvises til åbne tilbud og Skole på Tværs.",
    "§104": "Borgeren har allerede et aktivitets- og samværstilbud; der kan kun bevilges ét tilbud ad gangen.",
    "§103": "Borgeren vurderes at kunne varetage et job med løntilskud eller fleksjob; sagen overdrages til jobcentret.",
    "§107": "Borgerens støttebehov vurderes at være under 15 timer om ugen og kan dækkes med støtte i eget hjem.",
    "§108": "Borgerens behov kan dækkes i et mindre indgribende tilbud, og et længerevarende botilbud er derfor ikke nødvendigt.",
    "§82a": "Borgerens behov vurderes at være større, end et kortvarigt gruppeforløb kan dække; der indledes udredning efter § 85.",
}

ORDER_PURPOSES = {
    "§85": "Støtte i eget hjem, så borgeren selv kan klare flere af hverdagens opgaver.",
    "§104": "Et fast fællesskab og meningsfulde aktiviteter i dagtimerne.",
    "§103": "Beskyttet beskæftigelse med fokus på stabilt fremmøde og faglig udvikling.",
    "§107": "Midlertidigt ophold med støtte til at komme videre til egen bolig.",
    "§108": "Et trygt hjem med den støtte, borgeren har brug for, og fokus på at fastholde funktionsevnen.",
    "§82a": "Gruppeforløb om at mestre hverdagen med psykosociale vanskeligheder.",
}

FOLLOW_UP_NOTES = {
    "continue": [
        "Telefonisk opfølgning med borgeren; formål og mål står ved magt, og indsatsen fortsætter.",
        "Opfølgningsmøde med borgeren og tilbuddet. Borgeren oplever fremgang og ønsker at fortsætte.",
    ],
    "change": [
        "Borgeren har fået det sværere efter en periode med mange forandringer; omfanget øges.",
        "Borgeren har haft god fremgang; omfanget nedsættes, så borgeren trappes ned.",
    ],
    "end": [
        "Målene er nået. Borgeren klarer sig nu med støtte fra sit netværk og åbne tilbud.",
        "Borgeren ønsker selv at afslutte indsatsen og er oplyst om muligheden for at henvende sig igen.",
    ],
    "end_refer": [
        "Indsatsen afsluttes, og borgeren visiteres til et tilbud, der passer bedre til de nuværende behov.",
    ],
}
