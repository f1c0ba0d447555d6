"""Every text the DocumentView's front end shows, translated in Python (gettext) and sent to the browser."""

from __future__ import annotations

from qualcode.i18n import gettext as _, quote


def labels() -> dict[str, str]:
    """The front end's strings in the current language (``{n}``-style fields are filled in the browser)."""
    return {
        "decimal": _decimal(),
        "accept": _("Accept"),
        "reject": _("Reject"),
        "recode": _("Change code"),
        "change_span": _("Change span"),
        "delete": _("Delete"),
        "close": _("Close"),
        "undo": _("Undo"),
        "find": _("Search"),
        "search_text": _("Search the interview …"),
        "previous_hit": _("Previous hit"),
        "next_hit": _("Next hit"),
        "hit_n": _("Hit {i} of {n}"),
        "search_first": _("Search for something first."),
        "code_all_hits": _("Code all hits …"),
        "autocode_hits": _("Code every hit of"),
        "unit_sentence": _("the sentence"),
        "unit_turn": _("the whole turn"),
        "unit_hit": _("only the hit"),
        "suggest_document": _("Suggest codes"),
        "suggest_document_help": _("Store the engine's suggestions for every sentence of the interview"),
        "quoted": quote("{text}"),
        "threshold": _("Suggestions from {score}"),
        "all_codes": _("All codes"),
        "all_roles": _("All roles"),
        "all_coders": _("All coders"),
        "interviewer": _("interviewer"),
        "show_others": _("Show other coders"),
        "blind_mode": _("Blind coding is on: other coders' codings are hidden."),
        "filter_open": _("Accepted and to review"),
        "filter_accepted": _("Accepted"),
        "filter_suggested": _("Suggestions only"),
        "filter_needs_review": _("To review"),
        "filter_rejected": _("Rejected"),
        "filter_all": _("All statuses"),
        "status_accepted": _("accepted"),
        "status_suggested": _("suggestion"),
        "status_rejected": _("rejected"),
        "status_needs_review": _("to review"),
        "status_superseded": _("withdrawn"),
        "source_human": _("coded by hand"),
        "source_machine": _("machine suggestion"),
        "source_autocode": _("autocoded"),
        "source_consensus": _("consensus"),
        "code_span": _("Code this span:"),
        "recode_as": _("Change the code to"),
        "search_code": _("Search code …"),
        "suggested_for_span": _("Suggested for this span"),
        "thinking": _("Working …"),
        "no_suggestions": _("No suggestions for this span."),
        "recent": _("Recently used"),
        "help": _("Select text with the mouse to code it. Click a highlight or a stripe to see the coding, change "
                  "it or write a memo. Dashed lines are suggestions: ✓ accepts, ✗ rejects."),
        "codes_in_document": _("Codes in this interview"),
        "no_codings": _("Nothing is coded in this interview yet."),
        "suggestions": _("Suggestions"),
        "more_suggestions": _("More suggestions for this span"),
        "other_suggestions": _("Other suggestions for this span"),
        "n_suggestions": _("{n} open suggestions above the threshold."),
        "no_open_suggestions": _("No open suggestions above the threshold."),
        "keys": _("Keys: N/P next/previous suggestion, A accept, R reject, U undo, Esc close."),
        "offsets": _("Characters"),
        "not_yours": _("Another coder's coding: only they can change it."),
        "respan_hint": _("Select the new span in the text (Esc cancels)."),
        "memo": _("Memo"),
        "memo_placeholder": _("Memo on this coding …"),
        "save_memo": _("Save memo"),
        "play_from": _("Play from"),
        "recording": _("Recording"),
        "no_recording": _("No recording is linked to this interview (qualcode media link)."),
        "loading_recording": _("Loading the recording …"),
    }


def _decimal() -> str:
    from qualcode.i18n import format_number

    return format_number(0.5, decimals=1)[1]
