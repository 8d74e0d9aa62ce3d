"""Words for the balance checks: what each check found and its smallest remedy."""
from flask_babel import ngettext
from flask_babel import gettext as _

from mab.board.rules import Check
from mab.i18n import percent


def pct(value: float) -> str:
    """A share with its sign, in the reader's style: "35.7%", "35,7 %" (mab.i18n.percent)."""
    return percent(value)


def explain(check: Check) -> tuple[str, str]:
    """Return (finding, remedy) for a check; the remedy is empty when the check passes."""
    f = check.figures
    code = check.code
    if code == "board_empty":
        return _("The board has no active member."), _("Add members to the board.")
    if code in ("gender_women_low", "gender_men_low"):
        finding = (_("Women hold %(count)d of %(total)d seats held by members who disclosed "
                     "their gender (%(pct)s), below %(min)s.", count=f["count"],
                     total=f["disclosed"], pct=pct(f["pct"]), min=pct(f["min_pct"]))
                   if code == "gender_women_low" else
                   _("Men hold %(count)d of %(total)d seats held by members who disclosed "
                     "their gender (%(pct)s), below %(min)s.", count=f["count"],
                     total=f["disclosed"], pct=pct(f["pct"]), min=pct(f["min_pct"])))
        remedy = (ngettext("Add %(num)d woman.", "Add %(num)d women.", f["add"])
                  if code == "gender_women_low" else
                  ngettext("Add %(num)d man.", "Add %(num)d men.", f["add"]))
        return finding, remedy
    if code in ("gender_women_high", "gender_men_high"):
        finding = (_("Women hold %(pct)s of the seats, above %(max)s.", pct=pct(f["pct"]),
                     max=pct(f["max_pct"])) if code == "gender_women_high" else
                   _("Men hold %(pct)s of the seats, above %(max)s.", pct=pct(f["pct"]),
                     max=pct(f["max_pct"])))
        remedy = (ngettext("Add %(num)d man.", "Add %(num)d men.", f["add"])
                  if code == "gender_women_high" else
                  ngettext("Add %(num)d woman.", "Add %(num)d women.", f["add"]))
        return finding, remedy
    if code == "gender_unknown":
        return (_("No member's gender is known."),
                _("Ask members to describe their gender on their account page, or record it."))
    if code == "gender_ok":
        return (_("Women %(w)s, men %(m)s of members who disclosed their gender: within "
                  "%(min)s–%(max)s.", w=pct(f["women_pct"]), m=pct(f["men_pct"]),
                  min=pct(f["min_pct"]), max=pct(f["max_pct"])), "")
    if code in ("undisclosed_high", "undisclosed_ok"):
        finding = _("%(count)d of %(total)d members (%(pct)s) have not disclosed their gender; "
                    "the limit is %(max)s.", count=f["count"], total=f["total"],
                    pct=pct(f["pct"]), max=pct(f["max_pct"]))
        remedy = (_("Ask them to describe their gender on their account page.")
                  if code == "undisclosed_high" else "")
        return finding, remedy
    if code == "group_missing":
        return (_("No active member from %(group)s.", group=f["group"]),
                ngettext("Add %(num)d member from %(group)s.",
                         "Add %(num)d members from %(group)s.", f["add"], group=f["group"]))
    if code == "group_low":
        return (ngettext("%(group)s has %(num)d active member, below its minimum of %(min)d.",
                         "%(group)s has %(num)d active members, below its minimum of %(min)d.",
                         f["count"], group=f["group"], min=f["min"]),
                ngettext("Add %(num)d member from %(group)s.",
                         "Add %(num)d members from %(group)s.", f["add"], group=f["group"]))
    if code == "group_over":
        return (_("%(group)s holds %(pct)s of seats, above the %(max)s limit.",
                  group=f["group"], pct=pct(f["pct"]), max=pct(f["max_pct"])),
                ngettext("Add %(num)d member from other groups, or have fewer from %(group)s.",
                         "Add %(num)d members from other groups, or have fewer from %(group)s.",
                         f["add"], group=f["group"]))
    if code == "group_unassigned":
        return (ngettext("%(num)d member has no stakeholder group.",
                         "%(num)d members have no stakeholder group.", f["count"]),
                _("Assign a stakeholder group to each member."))
    if code == "groups_ok":
        return (_("Every group has its minimum and none holds more than %(max)s of seats.",
                  max=pct(f["max_pct"])), "")
    return code, ""
