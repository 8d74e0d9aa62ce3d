"""Names in the reader's language (stakeholder groups, framework items) and each member's last
visits (for "new since your last visit").

Revision ID: 37e1a72d682b
Revises: 57ed5ca4bdd9
Create Date: 2026-12-04 16:50:32.798363

"""
from alembic import op
import sqlalchemy as sa
import mab.types


# revision identifiers, used by Alembic.
revision = '37e1a72d682b'
down_revision = '57ed5ca4bdd9'
branch_labels = None
depends_on = None

# The default stakeholder groups' names and the built-in ROAM-X categories' and themes' titles
# in each language, as shipped on this revision (a copy: a migration never imports the app's
# modules, whose data may change later). Translated by the project.
DEFAULT_GROUP_NAMES = {
    'Government': {'ru': 'Правительство', 'kk': 'Үкімет'},
    'Academia': {'ru': 'Академическое сообщество', 'kk': 'Академиялық қауымдастық'},
    'Technical community': {'ru': 'Техническое сообщество', 'kk': 'Техникалық қауымдастық'},
    'Private sector': {'ru': 'Частный сектор', 'kk': 'Жеке сектор'},
    'Media and journalists': {'ru': 'СМИ и журналисты', 'kk': 'БАҚ және журналистер'},
    'Civil society': {'ru': 'Гражданское общество', 'kk': 'Азаматтық қоғам'},
    'Individual Internet users': {'ru': 'Индивидуальные пользователи интернета', 'kk': 'Интернеттің жеке пайдаланушылары'},
    'UN agencies and intergovernmental organisations': {'ru': 'Агентства ООН и межправительственные организации', 'kk': 'БҰҰ агенттіктері және үкіметаралық ұйымдар'},
    'National IGF community': {'ru': 'Национальное сообщество Форума по управлению интернетом (IGF)', 'kk': 'Интернетті басқару форумының (IGF) ұлттық қауымдастығы'},
}
ROAMX_TITLES = {   # (kind, code) -> (en, ru, kk)
    ('category', 'C'): ('Contextual indicators', 'Контекстуальные показатели', 'Контекстік көрсеткіштер'),
    ('theme', 'C.1'): ('Economic', 'Экономика', 'Экономика'),
    ('theme', 'C.2'): ('Demographic', 'Демография', 'Демография'),
    ('theme', 'C.3'): ('Development', 'Развитие', 'Даму'),
    ('theme', 'C.4'): ('Equality', 'Равенство', 'Теңдік'),
    ('theme', 'C.5'): ('Governance', 'Управление', 'Басқару'),
    ('theme', 'C.6'): ('ICT development', 'Развитие ИКТ', 'АКТ-ның дамуы'),
    ('category', 'R'): ('Rights', 'Права', 'Құқықтар'),
    ('theme', 'R.A'): ('Policy, statutory and regulatory framework', 'Политическая, законодательная и нормативная база', 'Саясат, заңнамалық және нормативтік база'),
    ('theme', 'R.B'): ('Freedom of expression', 'Свобода выражения мнений', 'Пікір білдіру бостандығы'),
    ('theme', 'R.C'): ('Right of access to information', 'Право на доступ к информации', 'Ақпаратқа қол жеткізу құқығы'),
    ('theme', 'R.D'): ('Freedom of association and the right to take part in public affairs', 'Свобода ассоциации и право на участие в ведении государственных дел', 'Бірлестік құру бостандығы және мемлекет істерін басқаруға қатысу құқығы'),
    ('theme', 'R.E'): ('Right to privacy', 'Право на неприкосновенность частной жизни', 'Жеке өмірге қол сұғылмаушылық құқығы'),
    ('theme', 'R.F'): ('Economic, social and cultural rights', 'Экономические, социальные и культурные права', 'Экономикалық, әлеуметтік және мәдени құқықтар'),
    ('category', 'O'): ('Openness', 'Открытость', 'Ашықтық'),
    ('theme', 'O.A'): ('Policy, statutory and regulatory framework', 'Политическая, законодательная и нормативная база', 'Саясат, заңнамалық және нормативтік база'),
    ('theme', 'O.B'): ('Open standards', 'Открытые стандарты', 'Ашық стандарттар'),
    ('theme', 'O.C'): ('Open markets', 'Открытые рынки', 'Ашық нарықтар'),
    ('theme', 'O.D'): ('Open content', 'Открытый контент', 'Ашық контент'),
    ('theme', 'O.E'): ('Open data and open government', 'Открытые данные и открытое правительство', 'Ашық деректер және ашық үкімет'),
    ('category', 'A'): ('Accessibility to all', 'Доступность для всех', 'Барлығына қолжетімділік'),
    ('theme', 'A.A'): ('Policy, statutory and regulatory framework', 'Политическая, законодательная и нормативная база', 'Саясат, заңнамалық және нормативтік база'),
    ('theme', 'A.B'): ('Connectivity and usage', 'Подключение и использование', 'Қосылу және пайдалану'),
    ('theme', 'A.C'): ('Affordability', 'Ценовая доступность', 'Бағаның қолжетімділігі'),
    ('theme', 'A.D'): ('Equitable access', 'Равный доступ', 'Тең қолжетімділік'),
    ('theme', 'A.E'): ('Local content and language', 'Местный контент и язык', 'Жергілікті контент және тіл'),
    ('theme', 'A.F'): ('Capabilities and competencies', 'Навыки и компетенции', 'Дағдылар мен құзыреттер'),
    ('category', 'M'): ('Multistakeholder participation', 'Участие многих заинтересованных сторон', 'Мүдделі тараптардың көпжақты қатысуы'),
    ('theme', 'M.A'): ('Policy, statutory and regulatory framework', 'Политическая, законодательная и нормативная база', 'Саясат, заңнамалық және нормативтік база'),
    ('theme', 'M.B'): ('National Internet governance', 'Управление интернетом на национальном уровне', 'Интернетті ұлттық деңгейде басқару'),
    ('theme', 'M.C'): ('International and regional Internet governance', 'Управление интернетом на международном и региональном уровнях', 'Интернетті халықаралық және өңірлік деңгейде басқару'),
    ('category', 'X'): ('Cross-cutting indicators', 'Сквозные показатели', 'Салааралық көрсеткіштер'),
    ('theme', 'X.A'): ('Gender', 'Гендерные аспекты', 'Гендерлік аспектілер'),
    ('theme', 'X.B'): ('Children and young people', 'Дети и молодёжь', 'Балалар мен жастар'),
    ('theme', 'X.C'): ('Sustainable development', 'Устойчивое развитие', 'Тұрақты даму'),
    ('theme', 'X.D'): ('Trust and security', 'Доверие и безопасность', 'Сенім және қауіпсіздік'),
    ('theme', 'X.E'): ('Legal and ethical aspects of the Internet', 'Правовые и этические аспекты интернета', 'Интернеттің құқықтық және этикалық аспектілері'),
}


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=60), nullable=False),
    sa.Column('last_at', mab.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('previous_at', mab.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_visits_membership_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
    sa.UniqueConstraint('membership_id', 'place', name='uq_visits_place')
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_membership_id'), ['membership_id'], unique=False)

    with op.batch_alter_table('framework_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('titles', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))

    with op.batch_alter_table('stakeholder_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))

    # ### end Alembic commands ###
    translate_builtin_content()


def translate_builtin_content():
    """Data: the groups still named as a default group, and the built-in framework's categories
    and themes, get their names in English, Russian and Kazakh (as new ones do)."""
    bind = op.get_bind()
    groups = sa.table('stakeholder_groups', sa.column('id', sa.Integer),
                      sa.column('name', sa.String), sa.column('names', sa.JSON))
    for name, names in DEFAULT_GROUP_NAMES.items():
        bind.execute(groups.update().where(groups.c.name == name)
                     .values(names={'en': name, **names}))
    frameworks = sa.table('frameworks', sa.column('id', sa.Integer), sa.column('key', sa.String),
                          sa.column('copied_from_id', sa.Integer))
    items = sa.table('framework_items', sa.column('id', sa.Integer),
                     sa.column('framework_id', sa.Integer), sa.column('kind', sa.String),
                     sa.column('code', sa.String), sa.column('title', sa.Text),
                     sa.column('titles', sa.JSON))
    builtin = bind.execute(sa.select(frameworks.c.id).where(
        frameworks.c.key == 'roamx-2018')).scalar()
    if builtin is None:
        return
    # The built-in framework, and the assessments' copies of it where an item kept its title.
    ids = [builtin] + list(bind.execute(sa.select(frameworks.c.id).where(
        frameworks.c.copied_from_id == builtin)).scalars())
    for (kind, code), (en, ru, kk) in ROAMX_TITLES.items():
        bind.execute(items.update().where(items.c.framework_id.in_(ids), items.c.kind == kind,
                                          items.c.code == code, items.c.title == en)
                     .values(titles={'en': en, 'ru': ru, 'kk': kk}))


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('stakeholder_groups', schema=None) as batch_op:
        batch_op.drop_column('names')

    with op.batch_alter_table('framework_items', schema=None) as batch_op:
        batch_op.drop_column('titles')

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_membership_id'))

    op.drop_table('visits')
    # ### end Alembic commands ###
