"""The /api/v1/ schema document: its description, enum names and view. What every
endpoint shares (error responses, list filters, the session scheme) is core.rest.schema."""

from drf_spectacular import plumbing
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

API_DESCRIPTION = """\
Sager, udredninger, afgørelser, bevillinger, bestillinger og opfølgninger for det
psykosociale område.

**Adgang.** Alle kald kræver login: session (browser, med CSRF-token ved skrivning) eller
token (`Authorization: Token <nøgle>`, hentes med `POST /api/v1/auth/token/`; medarbejdere
sender også den aktuelle kode fra deres godkendelsesapp i `code`, når tofaktorlogin er slået
til, og forkerte koder tæller som forkerte adgangskoder). Hvert login giver en ny nøgle;
Samplan gemmer kun et hash af den, og svaret siger i `expiry`, hvornår den udløber
(`SAMPLAN_API_TOKEN_HOURS`, standard 8 timer). En nøgle holder også op med at virke, når
brugeren logger ud i browseren, deaktiveres eller får nulstillet sin godkendelsesapp, og når
brugeren (på `/konto/api-noegler/`) eller kommunens administrator tilbagekalder den.
`POST /api/v1/auth/logout/` afslutter den nøgle, kaldet sendes med, og
`POST /api/v1/auth/logout-all/` alle brugerens nøgler. Hvad en
bruger ser, afgøres af adgangspolitikken: objekter uden for brugerens borgere findes ikke
(404), handlinger som rollen ikke må udføre, afvises (403). Id'er i indsendte data, som
brugeren ikke kan se, afvises som ikke-eksisterende (400).

**CPR.** Borgere vises altid med maskeret CPR (`cpr_masked`, "DDMMÅÅ-••••"). Det fulde
nummer fås kun med `POST /api/v1/citizens/{id}/reveal-cpr/`, og hver visning logges.
Et CPR-nummer står aldrig i en adresse (adresser skrives i serverens adgangslogs):
søg på fuldt CPR-nummer (10 cifre, med eller uden bindestreg, eksakt match) med
`POST /api/v1/citizens/search/` og `{"q": "…"}` i body. `?q=` på borgerlisten søger på navn
eller fødselsdato (6 cifre); et CPR-nummer i `?q=` afvises med 400 (`cpr_in_url`).

**Log.** Hvert opslag af en borger eller et sagsobjekt skriver én logrække; hver
listeforespørgsel skriver én søge-logrække pr. borger i svaret (én uden borger, når intet
findes). Ændringer logges af domænelaget.

**Fejl.** Alle fejlsvar (4xx) har samme form:

```json
{
  "kode": "invalid",
  "besked": "De indsendte oplysninger er ugyldige.",
  "fejl": {
    "reason": ["Dette felt er påkrævet."],
    "goals.0.condition": ["Ugyldig primærnøgle \\"7\\" - objektet findes ikke."],
    "non_field_errors": ["Angiv funktionsevneniveau (0–4) for »…« (Aktivitet og deltagelse)."]
  },
  "fejlkoder": {"reason": ["required"], "goals.0.condition": ["does_not_exist"], "non_field_errors": ["level_required"]}
}
```

- `kode`: `invalid` (400), `parse_error` (400: ikke gyldig JSON, eller indlejret mere end 64 niveauer),
  `not_authenticated` / `authentication_failed` (401), `permission_denied` (403), `not_found` (404:
  også for et id, der ikke er et heltal på højst 18 cifre), `method_not_allowed` (405),
  `not_acceptable` (406), `request_too_large` (413: mere end 4 MB; ved upload af dokumenter
  SAMPLAN_UPLOAD_MAX_MB + 1 MB), `unsupported_media_type` (415: kun `application/json`; upload af
  dokumenter med `multipart/form-data`), `throttled` (429), `server_error` (500), `locked_out` (429: for mange forkerte
  adgangskoder til brugernavnet fra samme IP-adresse ved `/auth/token/`; prøv igen efter `Retry-After` sekunder).
- `besked`: én dansk sætning til brugeren (ved én generel fejl er det selve fejlbeskeden).
- `fejl`: danske beskeder pr. felt; indlejrede felter med punktum-sti; regler for hele
  objektet (fx faglige regler fra domænelaget) under `non_field_errors`. Tom ved andet end 400.
- `fejlkoder`: samme nøgler som `fejl`, med stabile maskinkoder.
"""

SCHEMA_SETTINGS = {
    "DESCRIPTION": API_DESCRIPTION,
    # Several models have a "status" field; give each enum a stable, readable name.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "samplan.cases.models.Case.Status",
        "AssessmentStatusEnum": "samplan.cases.models.Assessment.Status",
        "GrantStatusEnum": "samplan.cases.models.Grant.Status",
        "OrderStatusEnum": "samplan.cases.models.Order.Status",
        "FollowUpStatusEnum": "samplan.cases.models.FollowUp.Status",
        "FollowUpKindEnum": "samplan.cases.models.FollowUp.Kind",
        "FollowUpResultEnum": "samplan.cases.models.FollowUp.Result",
        "OrgUnitKindEnum": "samplan.core.models.OrgUnit.Kind",
        "LegalBasisEnum": "samplan.standards.legal.LEGAL_BASES",
        "FunctioningLevelEnum": "samplan.cases.models.Condition.Level",
        # Two fields are called "outcome": the decision keeps its name, the committee's gets its own.
        "OutcomeEnum": "samplan.cases.models.Decision.Outcome",
        "CommitteeOutcomeEnum": "samplan.cases.models.CommitteeReview.Outcome",
        "DocumentKindEnum": "samplan.documents.models.Document.Kind",
        "DocumentScanStatusEnum": "samplan.documents.models.Document.ScanStatus",
        "JournalNoteKindEnum": "samplan.journal.models.JournalNote.Kind",
        "NoteAddendumKindEnum": "samplan.journal.models.NoteAddendum.Kind",
        # A note's author and a document's uploader carry a role: one enum for both.
        "RoleEnum": "samplan.core.models.Role",
    },
}


class SchemaView(SpectacularAPIView):
    """The schema with SCHEMA_SETTINGS applied. drf-spectacular caches the enum name
    overrides per language, so the cache is cleared around our patched settings."""

    custom_settings = SCHEMA_SETTINGS

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        plumbing._load_enum_name_overrides.cache_clear()
        try:
            return super().get(request, *args, **kwargs)
        finally:
            plumbing._load_enum_name_overrides.cache_clear()
