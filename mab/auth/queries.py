"""Reads for the account pages."""
from sqlalchemy import Select, func, select

from mab.auth.models import User


def accounts(search: str = "") -> Select:
    """Accounts for the site admin's list, by address; ``search`` matches address or name."""
    query = select(User).order_by(User.email)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(User.email.like(pattern) | func.lower(User.name).like(pattern))
    return query
