"""Words for the validation rule's conditions, with their figures: the round page, the
certificate, the annex and its CSV files all say the same."""
from flask_babel import gettext as _

from mab.i18n import percent


def condition_text(condition: dict) -> str:
    """One condition of the rule, in words with its figures (the page, certificate, annex)."""
    f = condition["figures"]
    if condition["code"] == "responded":
        return _("Responded: %(n)d of %(total)d active members (%(pct)s, needs %(needs)s).",
                 n=f["responded"], total=f["active"], pct=percent(f["pct"], 0),
                 needs=percent(f["needs_pct"]))
    if condition["code"] == "endorsed":
        if not f["responded"]:
            return _("Endorsed: no response, so no endorsement (needs %(needs)s of the "
                     "responses).", needs=percent(f["needs_pct"]))
        return _("Endorsed: %(n)d of %(total)d responses (%(pct)s, needs %(needs)s), "
                 "%(r)d with reservations; %(o)d objected.", n=f["endorsed"],
                 total=f["responded"], pct=percent(f["pct"], 0), needs=percent(f["needs_pct"]),
                 r=f["reservations"], o=f["objected"])
    text = _("Groups responding: %(n)d of %(total)d.", n=f["responding"], total=f["groups"])
    if f["missing"]:
        text += " " + _("Missing: %(names)s.", names=", ".join(f["missing"]))
    return text
