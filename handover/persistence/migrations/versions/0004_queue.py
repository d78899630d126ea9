"""the queue at the door: days, tickets, calls, desk heartbeats, door events

Revision ID: 0004
Revises: 0003

Issue #16. ``queue_days`` holds each site's ticket counter per opening day (the row the
doors lock to number) and the day's raised limit; ``queue_tickets`` binds a ticket to one
permit (unique per site and day, both by number and by permit); ``queue_calls`` is each
call's life; ``desk_heartbeats`` says which desks are at work; ``door_events`` are the
door's anonymous statistics, apart from the desks' ``scan_events``. Additive only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "queue_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("limit_extra", sa.Integer(), nullable=False),
        _fk("queue_days", "site_id", "sites"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_days")),
        sa.UniqueConstraint("site_id", "day", name="queue_day_site_day"),
    )
    op.create_table(
        "queue_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=30), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("head_since", sa.DateTime(), nullable=True),
        sa.Column("called_at", sa.DateTime(), nullable=True),
        sa.Column("desk_id", sa.Integer(), nullable=True),
        sa.Column("served_at", sa.DateTime(), nullable=True),
        sa.Column("handover_id", sa.Integer(), nullable=True),
        sa.Column("no_show_at", sa.DateTime(), nullable=True),
        sa.Column("reprints", sa.Integer(), nullable=False),
        sa.Column("predicted_wait_s", sa.Integer(), nullable=True),
        _fk("queue_tickets", "site_id", "sites"),
        _fk("queue_tickets", "permit_id", "permits"),
        _fk("queue_tickets", "issued_by", "agents"),
        _fk("queue_tickets", "desk_id", "desks"),
        _fk("queue_tickets", "handover_id", "handovers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_tickets")),
        sa.UniqueConstraint("site_id", "day", "number", name="queue_ticket_site_day_number"),
        sa.UniqueConstraint("site_id", "day", "permit_id", name="queue_ticket_site_day_permit"),
    )
    with op.batch_alter_table("queue_tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_queue_tickets_day_status", ["site_id", "day", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_queue_tickets_permit_id"), ["permit_id"], unique=False)
    op.create_table(
        "queue_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("priority_call", sa.Boolean(), nullable=False),
        sa.Column("out_of_order_reason", sa.Text(), nullable=True),
        _fk("queue_calls", "ticket_id", "queue_tickets"),
        _fk("queue_calls", "desk_id", "desks"),
        _fk("queue_calls", "agent_id", "agents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_calls")),
    )
    with op.batch_alter_table("queue_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_queue_calls_called_at"), ["called_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_queue_calls_ticket_id"), ["ticket_id"], unique=False)
    op.create_table(
        "desk_heartbeats",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        _fk("desk_heartbeats", "desk_id", "desks"),
        sa.PrimaryKeyConstraint("desk_id", name=op.f("pk_desk_heartbeats")),
    )
    op.create_table(
        "door_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        _fk("door_events", "site_id", "sites"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_door_events")),
    )
    with op.batch_alter_table("door_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_door_events_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("door_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_door_events_at"))
    op.drop_table("door_events")
    op.drop_table("desk_heartbeats")
    with op.batch_alter_table("queue_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queue_calls_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_queue_calls_called_at"))
    op.drop_table("queue_calls")
    with op.batch_alter_table("queue_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queue_tickets_permit_id"))
        batch_op.drop_index("ix_queue_tickets_day_status")
    op.drop_table("queue_tickets")
    op.drop_table("queue_days")
