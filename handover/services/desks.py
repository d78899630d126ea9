"""The site and desk this installation works for, created on first use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from handover.config import Config
from handover.domain.values import DeskContext
from handover.persistence.models import Desk, Site
from handover.persistence.uow import UnitOfWork


def ensure_desk(uow: UnitOfWork, config: Config) -> DeskContext:
    """The desk's row (and its site's), created if missing; safe when desks start together."""
    try:
        return _ensure_desk(uow, config)
    except IntegrityError:  # another desk created the same row at the same moment
        return _ensure_desk(uow, config)


def _ensure_desk(uow: UnitOfWork, config: Config) -> DeskContext:
    with uow:
        s = uow.session
        site = s.execute(select(Site).where(Site.code == config.site.code)).scalar_one_or_none()
        if site is None:
            site = Site(code=config.site.code, name=config.site.name)
            s.add(site)
            s.flush()
        desk = s.execute(
            select(Desk).where(Desk.site_id == site.id, Desk.name == config.desk.name)
        ).scalar_one_or_none()
        if desk is None:
            desk = Desk(site_id=site.id, name=config.desk.name)
            s.add(desk)
            s.flush()
        uow.commit()
        return DeskContext(
            site_id=site.id,
            site_code=site.code,
            site_name=site.name,
            desk_id=desk.id,
            desk_name=desk.name,
            timezone=config.schedule.timezone,
        )
