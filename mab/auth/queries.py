"""Reads for the account pages."""
from sqlalchemy import Select, func, select

from mab.auth.models import User


def accounts(search: str = "") -> Select:
    """Accounts for the site admin's list, by address; ``search`` matches address or name."""
    query = select(User).order_by(User.email)
    if search:
        term = search.strip().lower()     # % and _ are letters here, not wildcards
        query = query.where(func.lower(User.email).contains(term, autoescape=True)
                            | func.lower(User.name).contains(term, autoescape=True))
    return query
