"""append-only corrections of a recorded handover

Revision ID: 0005
Revises: 0003

A supervisor corrects a stamp's amount or the identity document's type by adding a row
(reason, who, when); the handover's rows stay as recorded. Additive: one new table.
Chained after 0003 for now; re-chained after 0004 when the queue's migration is merged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handover_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("stamp_id", sa.Integer(), nullable=True),
        sa.Column("old_value", sa.String(length=40), nullable=False),
        sa.Column("new_value", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handover_id"],
            ["handovers.id"],
            name=op.f("fk_handover_corrections_handover_id_handovers"),
        ),
        sa.ForeignKeyConstraint(
            ["stamp_id"],
            ["tax_stamps.id"],
            name=op.f("fk_handover_corrections_stamp_id_tax_stamps"),
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["agents.id"],
            name=op.f("fk_handover_corrections_supervisor_id_agents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_corrections")),
    )
    with op.batch_alter_table("handover_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_corrections_handover_id"), ["handover_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handover_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_corrections_handover_id"))
    op.drop_table("handover_corrections")
