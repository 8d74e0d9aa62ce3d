"""Stakeholder groups; the board fields themselves live on Membership."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mab.extensions import db
from mab.types import UTCDateTime, utcnow

# DESIGN section 2: the default set, created with every new assessment.
DEFAULT_GROUPS = [
    "Government",
    "Academia",
    "Technical community",
    "Private sector",
    "Media and journalists",
    "Civil society",
    "Individual Internet users",
    "UN agencies and intergovernmental organisations",
    "National IGF community",
]
# The default groups' names in Russian and Kazakh (translated by the project, in the terms of
# its Russian and Kazakh glossary); ``name`` stays the English one. The migration 37e1a72d682b
# keeps its own copy of this table for the groups made before it.
DEFAULT_GROUP_NAMES = {
    "Government": {"ru": "Правительство", "kk": "Үкімет"},
    "Academia": {"ru": "Академическое сообщество", "kk": "Академиялық қауымдастық"},
    "Technical community": {"ru": "Техническое сообщество", "kk": "Техникалық қауымдастық"},
    "Private sector": {"ru": "Частный сектор", "kk": "Жеке сектор"},
    "Media and journalists": {"ru": "СМИ и журналисты", "kk": "БАҚ және журналистер"},
    "Civil society": {"ru": "Гражданское общество", "kk": "Азаматтық қоғам"},
    "Individual Internet users": {"ru": "Индивидуальные пользователи интернета",
                                  "kk": "Интернеттің жеке пайдаланушылары"},
    "UN agencies and intergovernmental organisations": {
        "ru": "Агентства ООН и межправительственные организации",
        "kk": "БҰҰ агенттіктері және үкіметаралық ұйымдар"},
    "National IGF community": {
        "ru": "Национальное сообщество Форума по управлению интернетом (IGF)",
        "kk": "Интернетті басқару форумының (IGF) ұлттық қауымдастығы"},
}




class StakeholderGroup(db.Model):
    __tablename__ = "stakeholder_groups"
    __table_args__ = (
        UniqueConstraint("assessment_id", "name", name="uq_stakeholder_groups_name"),
        CheckConstraint("min_members >= 0", name="min_members_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The name in other languages, by locale code ({"ru": ..., "kk": ...}); ``name`` is the
    # fallback shown when the reader's language has none.
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    min_members: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StakeholderGroup {self.name}>"
