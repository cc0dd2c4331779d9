"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('alignment', 'vcio', 'internal', name='meetingkind', native_enum=False, length=20), nullable=False),
    sa.Column('default_duration_minutes', sa.Integer(), nullable=False),
    sa.Column('default_start_time', sa.String(length=5), nullable=False),
    sa.Column('agenda_template', sa.JSON(), nullable=False),
    sa.Column('prep_checklist', sa.JSON(), nullable=False),
    sa.Column('pack_sections', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_types')),
    sa.UniqueConstraint('key', name=op.f('uq_meeting_types_key'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('is_vcio', sa.Boolean(), nullable=False),
    sa.Column('is_tam', sa.Boolean(), nullable=False),
    sa.Column('is_account_manager', sa.Boolean(), nullable=False),
    sa.Column('is_service_manager', sa.Boolean(), nullable=False),
    sa.Column('daily_capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('name', name=op.f('uq_staff_name'))
    )
    op.create_table('standard_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_sections')),
    sa.UniqueConstraint('key', name=op.f('uq_standard_sections_key'))
    )
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('tier', sa.Enum('A', 'B', 'C', name='tier', native_enum=False, length=4), nullable=False),
    sa.Column('fiscal_year_start_month', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('subdivision', sa.String(length=10), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('vcio_id', sa.Integer(), nullable=True),
    sa.Column('tam_id', sa.Integer(), nullable=True),
    sa.Column('account_manager_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.CheckConstraint('fiscal_year_start_month BETWEEN 1 AND 12', name=op.f('ck_clients_fiscal_month')),
    sa.ForeignKeyConstraint(['account_manager_id'], ['staff.id'], name=op.f('fk_clients_account_manager_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tam_id'], ['staff.id'], name=op.f('fk_clients_tam_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vcio_id'], ['staff.id'], name=op.f('fk_clients_vcio_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('external_id', name=op.f('uq_clients_external_id')),
    sa.UniqueConstraint('name', name=op.f('uq_clients_name'))
    )
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clients_account_manager_id'), ['account_manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clients_tam_id'), ['tam_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clients_vcio_id'), ['vcio_id'], unique=False)

    op.create_table('internal_bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('standards_committee', 'service_delivery', 'other', name='bodykind', native_enum=False, length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('subdivision', sa.String(length=10), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_internal_bodies_owner_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internal_bodies')),
    sa.UniqueConstraint('name', name=op.f('uq_internal_bodies_name'))
    )
    op.create_table('standard_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['standard_sections.id'], name=op.f('fk_standard_categories_section_id_standard_sections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_categories'))
    )
    with op.batch_alter_table('standard_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_categories_section_id'), ['section_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('decision_maker', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_contacts_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_client_id'), ['client_id'], unique=False)

    op.create_table('csi_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('size', sa.Enum('S', 'M', 'L', name='csisize', native_enum=False, length=2), nullable=False),
    sa.Column('priority', sa.Enum('high', 'medium', 'low', name='priority', native_enum=False, length=20), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('kpi_name', sa.String(length=200), nullable=False),
    sa.Column('kpi_unit', sa.String(length=30), nullable=False),
    sa.Column('kpi_baseline', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('kpi_target', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('kpi_current', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('target_fiscal_year', sa.Integer(), nullable=True),
    sa.Column('target_quarter', sa.Integer(), nullable=True),
    sa.Column('one_time_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('recurring_cost_monthly', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'approved', 'in_progress', 'done', 'deferred', name='csistatus', native_enum=False, length=20), nullable=False),
    sa.Column('progress_pct', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_csi_items_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_csi_items_owner_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_csi_items'))
    )
    with op.batch_alter_table('csi_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csi_items_client_id'), ['client_id'], unique=False)

    op.create_table('rhythms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('internal_body_id', sa.Integer(), nullable=True),
    sa.Column('meeting_type_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(client_id IS NULL) <> (internal_body_id IS NULL)', name=op.f('ck_rhythms_one_subject')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_rhythms_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['internal_body_id'], ['internal_bodies.id'], name=op.f('fk_rhythms_internal_body_id_internal_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_type_id'], ['meeting_types.id'], name=op.f('fk_rhythms_meeting_type_id_meeting_types')),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_rhythms_owner_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rhythms')),
    sa.UniqueConstraint('client_id', 'meeting_type_id', name='uq_rhythms_client_type'),
    sa.UniqueConstraint('internal_body_id', 'meeting_type_id', name='uq_rhythms_body_type')
    )
    with op.batch_alter_table('rhythms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rhythms_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rhythms_internal_body_id'), ['internal_body_id'], unique=False)

    op.create_table('standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('why_it_matters', sa.Text(), nullable=False),
    sa.Column('how_to_align', sa.Text(), nullable=False),
    sa.Column('priority', sa.Enum('high', 'medium', 'low', name='priority', native_enum=False, length=20), nullable=False),
    sa.Column('internal_only', sa.Boolean(), nullable=False),
    sa.Column('tiers', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['standard_categories.id'], name=op.f('fk_standards_category_id_standard_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standards')),
    sa.UniqueConstraint('code', name=op.f('uq_standards_code'))
    )
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standards_category_id'), ['category_id'], unique=False)

    op.create_table('csi_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['csi_items.id'], name=op.f('fk_csi_changes_item_id_csi_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_csi_changes'))
    )
    with op.batch_alter_table('csi_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_csi_changes_item_id'), ['item_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('internal_body_id', sa.Integer(), nullable=True),
    sa.Column('meeting_type_id', sa.Integer(), nullable=False),
    sa.Column('rhythm_id', sa.Integer(), nullable=True),
    sa.Column('slot_date', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_start', sa.DateTime(), nullable=False),
    sa.Column('scheduled_end', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'confirmed', 'held', 'cancelled', name='meetingstatus', native_enum=False, length=20), nullable=False),
    sa.Column('user_touched', sa.Boolean(), nullable=False),
    sa.Column('held_date', sa.Date(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('client_notes', sa.Text(), nullable=False),
    sa.Column('internal_notes', sa.Text(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(client_id IS NULL) <> (internal_body_id IS NULL)', name=op.f('ck_meetings_one_subject')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_meetings_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['internal_body_id'], ['internal_bodies.id'], name=op.f('fk_meetings_internal_body_id_internal_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_type_id'], ['meeting_types.id'], name=op.f('fk_meetings_meeting_type_id_meeting_types')),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_meetings_owner_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rhythm_id'], ['rhythms.id'], name=op.f('fk_meetings_rhythm_id_rhythms'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_internal_body_id'), ['internal_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_meetings_rhythm_slot', ['rhythm_id', 'slot_date'], unique=False)
        batch_op.create_index('ix_meetings_start', ['scheduled_start'], unique=False)

    op.create_table('rhythm_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rhythm_id', sa.Integer(), nullable=False),
    sa.Column('rrule', sa.String(length=500), nullable=False),
    sa.Column('anchor_date', sa.Date(), nullable=False),
    sa.Column('tolerance_days', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('tolerance_days >= 0', name=op.f('ck_rhythm_versions_tolerance_nonnegative')),
    sa.ForeignKeyConstraint(['rhythm_id'], ['rhythms.id'], name=op.f('fk_rhythm_versions_rhythm_id_rhythms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rhythm_versions')),
    sa.UniqueConstraint('rhythm_id', 'effective_from', name='uq_rhythm_versions_effective')
    )
    op.create_table('action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('internal_body_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('owner_staff_id', sa.Integer(), nullable=True),
    sa.Column('owner_contact_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'done', 'cancelled', name='actionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('NOT (owner_staff_id IS NOT NULL AND owner_contact_id IS NOT NULL)', name=op.f('ck_action_items_one_owner')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_action_items_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['internal_body_id'], ['internal_bodies.id'], name=op.f('fk_action_items_internal_body_id_internal_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_action_items_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_contact_id'], ['contacts.id'], name=op.f('fk_action_items_owner_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_staff_id'], ['staff.id'], name=op.f('fk_action_items_owner_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items'))
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_items_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('presenter', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('alignment_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('tam_id', sa.Integer(), nullable=True),
    sa.Column('vcio_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('in_progress', 'completed', name='reviewstatus', native_enum=False, length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_alignment_reviews_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_alignment_reviews_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tam_id'], ['staff.id'], name=op.f('fk_alignment_reviews_tam_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vcio_id'], ['staff.id'], name=op.f('fk_alignment_reviews_vcio_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alignment_reviews'))
    )
    with op.batch_alter_table('alignment_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alignment_reviews_client_id'), ['client_id'], unique=False)

    op.create_table('committee_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('proposed_changes', sa.JSON(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_committee_decisions_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_decisions'))
    )
    with op.batch_alter_table('committee_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_decisions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_meeting_attendees_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendees_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_meeting_attendees_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendees'))
    )
    with op.batch_alter_table('meeting_attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendees_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('prep_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_prep_items_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prep_items'))
    )
    with op.batch_alter_table('prep_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prep_items_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('section_name', sa.String(length=200), nullable=False),
    sa.Column('category_name', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('why_it_matters', sa.Text(), nullable=False),
    sa.Column('how_to_align', sa.Text(), nullable=False),
    sa.Column('priority', sa.Enum('high', 'medium', 'low', name='priority', native_enum=False, length=20), nullable=False),
    sa.Column('internal_only', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.Enum('aligned', 'misaligned', 'not_applicable', name='answer', native_enum=False, length=20), nullable=True),
    sa.Column('rating', sa.Enum('marginal', 'vulnerable', name='rating', native_enum=False, length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('csi_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['csi_item_id'], ['csi_items.id'], name=op.f('fk_review_items_csi_item_id_csi_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['alignment_reviews.id'], name=op.f('fk_review_items_review_id_alignment_reviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_review_items_standard_id_standards'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_items_csi_item_id'), ['csi_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_items_review_id'), ['review_id'], unique=False)

    op.create_table('standard_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['committee_decisions.id'], name=op.f('fk_standard_changes_decision_id_committee_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_standard_changes_standard_id_standards'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_changes'))
    )
    with op.batch_alter_table('standard_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_changes_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standard_changes_standard_id'), ['standard_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('standard_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_changes_standard_id'))
        batch_op.drop_index(batch_op.f('ix_standard_changes_decision_id'))

    op.drop_table('standard_changes')
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_items_review_id'))
        batch_op.drop_index(batch_op.f('ix_review_items_csi_item_id'))

    op.drop_table('review_items')
    with op.batch_alter_table('prep_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prep_items_meeting_id'))

    op.drop_table('prep_items')
    with op.batch_alter_table('meeting_attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendees_meeting_id'))

    op.drop_table('meeting_attendees')
    with op.batch_alter_table('committee_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_decisions_meeting_id'))

    op.drop_table('committee_decisions')
    with op.batch_alter_table('alignment_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alignment_reviews_client_id'))

    op.drop_table('alignment_reviews')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_items_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_action_items_client_id'))

    op.drop_table('action_items')
    op.drop_table('rhythm_versions')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_start')
        batch_op.drop_index('ix_meetings_rhythm_slot')
        batch_op.drop_index(batch_op.f('ix_meetings_owner_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_internal_body_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_client_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('csi_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csi_changes_item_id'))

    op.drop_table('csi_changes')
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standards_category_id'))

    op.drop_table('standards')
    with op.batch_alter_table('rhythms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rhythms_internal_body_id'))
        batch_op.drop_index(batch_op.f('ix_rhythms_client_id'))

    op.drop_table('rhythms')
    with op.batch_alter_table('csi_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_csi_items_client_id'))

    op.drop_table('csi_items')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_client_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('standard_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_categories_section_id'))

    op.drop_table('standard_categories')
    op.drop_table('internal_bodies')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clients_vcio_id'))
        batch_op.drop_index(batch_op.f('ix_clients_tam_id'))
        batch_op.drop_index(batch_op.f('ix_clients_account_manager_id'))

    op.drop_table('clients')
    op.drop_table('standard_sections')
    op.drop_table('staff')
    op.drop_table('settings')
    op.drop_table('meeting_types')
