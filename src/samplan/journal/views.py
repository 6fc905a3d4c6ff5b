"""Thin views of the journal: fetch through the policy, validate, call a service, render."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from samplan.core import audit, policy
from samplan.core.steps import form_step
from samplan.portal.decorators import citizen_required

from . import services
from .forms import AddendumForm, LockForm, NoteEditForm, NoteForm, edit_initial
from .models import JournalNote, NoteAddendum

LIST_LIMIT = 200  # the newest; a search finds older ones


def _notes():
    return JournalNote.objects.select_related("author", "case", "provider_unit").prefetch_related(
        Prefetch("addenda", queryset=NoteAddendum.objects.select_related("author"))
    )


def _note(request, pk, action):
    """A note for ``action``: 404 for one the user may not know exists, 403 as the policy says."""
    return policy.get_object(request.user, policy.visible_notes(request.user, _notes().select_related("citizen")), pk, action)


@login_required
@require_safe
def note_list(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.NOTE_VIEW)
    query = request.GET.get("q", "").strip()[:200]
    notes = policy.visible_notes(request.user, _notes().filter(citizen=citizen))
    if query:
        notes = services.search(notes, query)
    shown = list(notes[:LIST_LIMIT])
    # One read row for the request, naming the citizen (not one per note).
    audit.record_read(
        request.user,
        citizen,
        object_type="journal.JournalNote",
        after={"shown": "notes", "count": len(shown), "search": bool(query)},
    )
    return render(
        request,
        "journal/note_list.html",
        {
            "citizen": citizen,
            "notes": shown,
            "query": query,
            "can_write": policy.can(request.user, policy.NOTE_WRITE, citizen),
        },
    )


def _ties(request, citizen) -> dict:
    """``?sag=<id>`` etc.: the objects the new note is tied to, each one the user may see."""
    ties = {}
    source = request.POST if request.method == "POST" else request.GET
    for tie in services.TIE_PARAMS:
        raw = source.get(tie.param, "")
        if not raw:
            continue
        if not raw.isdigit():
            raise Http404(policy.NOT_FOUND)
        model = apps.get_model(tie.model)
        ties[tie.field] = policy.get_object(request.user, model.objects.all(), int(raw), policy.VIEW)
    return ties


@login_required
def note_create(request, pk):
    citizen = policy.get_citizen(request.user, pk, policy.NOTE_WRITE)
    ties = _ties(request, citizen)
    audit.record_read(request.user, citizen, after={"shown": "note_form"})
    return form_step(
        request,
        NoteForm(request.POST or None, user=request.user),
        lambda data: services.create_note(request.user, citizen, **data, **ties),
        success="Notatet er gemt.",
        then=lambda note: ("note-detail", note.pk),
        template="journal/note_form.html",
        context={
            "citizen": citizen,
            "ties": [(t.param, ties[t.field]) for t in services.TIE_PARAMS if t.field in ties],
        },
    )


def _detail_context(request, note) -> dict:
    can_edit = policy.can(request.user, policy.NOTE_EDIT, note)
    return {
        "note": note,
        "citizen": note.citizen,
        "can_edit": can_edit,
        "can_add": policy.can(request.user, policy.NOTE_ADDENDUM, note),
        "edit_form": NoteEditForm(initial=edit_initial(note), user=request.user) if can_edit else None,
        "addendum_form": AddendumForm(),
    }


@login_required
@require_safe
def note_detail(request, pk):
    note = _note(request, pk, policy.NOTE_VIEW)
    audit.record_read(request.user, note)
    return render(request, "journal/note_detail.html", _detail_context(request, note))


@login_required
@require_POST
def note_edit(request, pk):
    note = _note(request, pk, policy.NOTE_EDIT)
    form = NoteEditForm(request.POST, user=request.user)
    return form_step(
        request,
        form,
        lambda data: services.change_note(request.user, note, data.pop("version"), **data),
        success="Notatet er ændret.",
        then=("note-detail", note.pk),
        template="journal/note_detail.html",
        context=_detail_context(request, note) | {"edit_form": form},
    )


@login_required
@require_POST
def note_lock(request, pk):
    note = _note(request, pk, policy.NOTE_EDIT)
    return form_step(
        request,
        LockForm(request.POST),
        lambda data: services.lock_note(request.user, note),
        success="Notatet er låst.",
        then=("note-detail", note.pk),
        template="journal/note_detail.html",
        context=_detail_context(request, note),
    )


@login_required
@require_POST
def note_addendum(request, pk):
    note = _note(request, pk, policy.NOTE_ADDENDUM)
    form = AddendumForm(request.POST)
    return form_step(
        request,
        form,
        lambda data: services.add_to_note(request.user, note, **data),
        success=lambda a: f"{a.get_kind_display()}en er gemt.",
        then=("note-detail", note.pk),
        template="journal/note_detail.html",
        context=_detail_context(request, note) | {"addendum_form": form},
    )


@citizen_required
@require_safe
def my_notes(request):
    """Min side: the notes the staff shared with the citizen (``policy.visible_notes``)."""
    citizen = policy.require_own_citizen(request.user)
    notes = list(policy.visible_notes(request.user, _notes().filter(citizen=citizen))[:LIST_LIMIT])
    audit.record_read(request.user, citizen, object_type="journal.JournalNote", after={"shown": "my_notes", "count": len(notes)})
    return render(request, "journal/my_notes.html", {"notes": notes})
