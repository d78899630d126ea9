"""keyed audit chain, replayed handovers

Revision ID: 0002
Revises: 0001

The audit head learns which site key signs the chain (``key_id``, a fingerprint, never the
key) and from which entry on (``key_from``, the "clé introduite" entry). A handover put back
after a restore, from its receipt sidecar, is marked with ``replayed_at``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column(
                "key_from", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replayed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.drop_column("replayed_at")
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("key_from")
        batch_op.drop_column("key_id")
