"""overrides travel with the handover; police report date

Revision ID: 0003
Revises: 0002

Every override that lifted a rule for a handover is linked to it (``handover_overrides``),
so several travel together; an override is marked ``used_at`` by the handover that used it.
A lost or stolen previous card records the police report's date. The card override's kind
is renamed ``wrong_card`` → ``card`` (one ``OverrideKind`` enumeration).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handover_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("override_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["handover_id"],
            ["handovers.id"],
            name=op.f("fk_handover_overrides_handover_id_handovers"),
        ),
        sa.ForeignKeyConstraint(
            ["override_id"],
            ["overrides.id"],
            name=op.f("fk_handover_overrides_override_id_overrides"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_overrides")),
        sa.UniqueConstraint("handover_id", "override_id", name="handover_override"),
    )
    with op.batch_alter_table("handover_overrides", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_overrides_handover_id"), ["handover_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_handover_overrides_override_id"), ["override_id"], unique=False
        )
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("previous_cards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("police_report_date", sa.Date(), nullable=True))

    op.execute("UPDATE overrides SET kind = 'card' WHERE kind = 'wrong_card'")
    # The one override a handover carried until now becomes its first link.
    op.execute(
        "INSERT INTO handover_overrides (handover_id, override_id, kind) "
        "SELECT h.id, o.id, o.kind FROM handovers h JOIN overrides o ON o.id = h.override_id"
    )
    op.execute(
        "UPDATE overrides SET used_at = (SELECT MIN(h.handed_over_at) FROM handovers h "
        "WHERE h.override_id = overrides.id) "
        "WHERE kind <> 'window' AND id IN (SELECT override_id FROM handovers "
        "WHERE override_id IS NOT NULL)"
    )


def downgrade() -> None:
    op.execute("UPDATE overrides SET kind = 'wrong_card' WHERE kind = 'card'")
    with op.batch_alter_table("previous_cards", schema=None) as batch_op:
        batch_op.drop_column("police_report_date")
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.drop_column("used_at")
    with op.batch_alter_table("handover_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_overrides_override_id"))
        batch_op.drop_index(batch_op.f("ix_handover_overrides_handover_id"))
    op.drop_table("handover_overrides")
