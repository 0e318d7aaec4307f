"""A synthetic but realistic corpus of practice models, for benchmarks at scale.

Sentences are composed from the vocabulary of the five seed models (families, kinship,
permanency, safety, engagement...) with the same grammar they use, so stemming, stop words
and ranking behave as they do on real text. Every organization's content depends only on
the seed and its number, so a corpus can be regenerated or extended identically.
"""

import random
from dataclasses import dataclass, field

from django.db import connection
from django.utils.text import slugify

from meaning.models import StatementEmbedding
from organizations.models import Organization, OrganizationKind
from performance import versioning
from principles.models import (
    Document,
    DocumentKind,
    DocumentStatus,
    Section,
    Statement,
    StatementKind,
    TaggedStatement,
    Theme,
)

SLUG_PREFIX = "corpus-"

PLACES = (  # noqa: SIM905 - a word list reads better as text
    "Alder Bend Cedar Dune Elm Fairview Granite Harbor Iron Juniper Kestrel Lakeshore Maple "
    "Northfield Oakridge Pine Quarry Riverside Sage Timber Union Valley Willow Yarrow Ash "
    "Birch Clearwater Driftwood Eastbrook Foxglove Glen Heron Indigo Jasper Kingsley Laurel "
    "Meadow Newport Orchard Prairie Redwood Stonebridge Thistle Upland Vista Westhaven "
    "Wildrose Amber Bluff Canyon Delta Evergreen Falcon Grove Highland Island Juneberry"
).split()
AGENCIES = [
    ("County Children and Family Services", OrganizationKind.COUNTY_AGENCY),
    ("County Department of Social Services", OrganizationKind.COUNTY_AGENCY),
    ("Division of Child Welfare", OrganizationKind.DIVISION),
    ("Department of Children, Youth and Families", OrganizationKind.STATE_AGENCY),
    ("Family Services Agency", OrganizationKind.NONPROFIT),
    ("Alliance of Child and Family Services", OrganizationKind.ASSOCIATION),
    ("Children's Services System", OrganizationKind.SYSTEM),
    ("Youth and Family Partnership", OrganizationKind.NONPROFIT),
    ("Office of Child Protection", OrganizationKind.DIVISION),
    ("Kinship and Foster Care Network", OrganizationKind.ASSOCIATION),
]

SUBJECTS = [
    "We", "Our staff", "Caseworkers", "Supervisors", "Family teams", "Practitioners",
    "Community partners", "Agency leaders", "Our workers", "Service providers",
]  # fmt: skip
VERBS = [
    "engage", "support", "respect", "partner with", "listen to", "strengthen", "protect",
    "empower", "involve", "value", "serve", "work alongside", "advocate for", "welcome",
]  # fmt: skip
PEOPLE = [
    "families", "children and youth", "parents", "kinship caregivers", "foster parents",
    "birth families", "extended family members", "tribes and communities", "young people",
    "resource families", "siblings", "relatives", "children", "youth in care", "caregivers",
]  # fmt: skip
MANNERS = [
    "with honesty and respect", "in a timely and thorough manner", "with genuineness and empathy",
    "as partners in planning", "through every stage of a case", "from the first contact",
    "in culturally responsive ways", "without judgment", "with open minds",
    "in a deliberate manner", "with dignity", "as experts on their own lives",
]  # fmt: skip
PURPOSES = [
    "to keep children safe", "so that every child achieves permanency",
    "to promote the well-being of children and youth", "to preserve kinship connections",
    "to prevent unnecessary placement in foster care", "to reunify families whenever possible",
    "to build on family strengths", "to support stable placements", "to reduce trauma",
    "to improve outcomes for children, youth and families", "to ensure equitable services",
    "to strengthen community supports", "to preserve sibling and community connections",
    "so that youth leave care with lifelong connections", "to protect children from harm",
]  # fmt: skip
CONDITIONS = [
    "children cannot live safely at home", "a placement outside the family is necessary",
    "families face a crisis", "safety concerns arise", "youth prepare to leave care",
    "parents struggle with substance use", "a child enters foster care",
    "relatives step forward to care for a child", "a family moves between services",
]  # fmt: skip
CONCEPTS = [
    "Kinship care", "Family engagement", "Permanency planning", "Placement stability",
    "Safety planning", "Trauma-informed practice", "Community collaboration",
    "Data-informed decision making", "Cultural humility", "Sibling connection",
    "Reunification", "Prevention", "Youth voice", "Workforce development",
    "Shared accountability", "Respect for tribal sovereignty",
]  # fmt: skip
QUALITIES = [
    "essential", "central", "critical", "fundamental", "a shared responsibility",
    "the foundation of good practice", "a core value", "never optional",
]  # fmt: skip
RIGHTS = [
    "be heard in decisions that affect them", "maintain connections with siblings and relatives",
    "be treated with dignity and respect", "live in a safe and nurturing home",
    "receive services that respect their culture", "know why decisions are made",
    "a permanent family", "participate in planning for their future",
]  # fmt: skip
BELIEFS = [
    "are the experts on their own lives", "do best when raised in families",
    "deserve trained, skillful professionals", "thrive in loving, healthy, safe communities",
    "have strengths we can build on", "should be kept together whenever possible",
    "need lifelong connections", "are served best by a team that includes them",
]  # fmt: skip
GOALS = [
    "permanency is achieved", "the family is safely reunified",
    "the youth has lifelong connections", "the child is safe and stable",
    "the family no longer needs our services",
]  # fmt: skip
HEADINGS = [
    "We believe that all children and youth deserve to be safe.",
    "We believe in family, child and youth-driven practice.",
    "We believe that children do best when raised in families.",
    "We believe that all children and youth need and deserve a permanent family.",
    "We believe in partnering with others to support child and family success.",
    "We believe that how we do our work is as important as the work we do.",
    "Safety", "Permanency", "Well-being", "Our workforce", "Equity and inclusion",
    "Accountability and continuous improvement",
]  # fmt: skip
VALUE_TITLES = [
    "Respect", "Integrity", "Collaboration", "Equity", "Accountability", "Compassion",
    "Transparency", "Excellence",
]  # fmt: skip

# The seed vocabulary's themes, and words that make a statement carry each one.
THEME_KEYWORDS = {
    "Safety": ("safe", "safety", "protect", "harm"),
    "Permanency": ("permanen", "reunif", "lifelong", "adoption"),
    "Well-being": ("well-being", "thrive", "healthy"),
    "Kinship": ("kinship", "relative"),
    "Family engagement": ("engage", "partner", "family teams", "listen"),
    "Child and youth voice": ("youth voice", "be heard", "participate", "young people"),
    "Cultural responsiveness and equity": ("cultur", "equit", "tribal", "tribes"),
    "Workforce": ("staff", "workforce", "caseworkers", "supervisors", "professionals"),
    "Collaboration and partnership": ("collaborat", "partners", "community partners"),
    "Data and accountability": ("data", "accountab", "outcomes"),
    "Trauma-informed practice": ("trauma",),
    "Community": ("communit",),
    "Prevention": ("prevent",),
    "Placement and stability": ("placement", "stable", "stability", "foster care"),
}


def sentence(rng):
    pattern = rng.randrange(7)
    if pattern == 0:
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PEOPLE)} "
            f"{rng.choice(MANNERS)} {rng.choice(PURPOSES)}."
        )
    if pattern == 1:
        subject = rng.choice(SUBJECTS)
        return (
            f"When {rng.choice(CONDITIONS)}, {subject[0].lower()}{subject[1:]} "
            f"{rng.choice(VERBS)} {rng.choice(PEOPLE)} {rng.choice(PURPOSES)}."
        )
    if pattern == 2:
        return f"{rng.choice(CONCEPTS)} is {rng.choice(QUALITIES)} for {rng.choice(PEOPLE)}."
    if pattern == 3:
        people = rng.choice(PEOPLE)
        return f"{people[0].upper()}{people[1:]} have the right to {rng.choice(RIGHTS)}."
    if pattern == 4:
        return f"We believe that {rng.choice(PEOPLE)} {rng.choice(BELIEFS)}."
    if pattern == 5:
        return (
            f"{rng.choice(CONCEPTS)} begins at first contact and continues until "
            f"{rng.choice(GOALS)}."
        )
    first, second = rng.sample(PEOPLE, 2)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {first} and {second} {rng.choice(MANNERS)}."


def statement_text(rng):
    return " ".join(sentence(rng) for _ in range(rng.choice((1, 1, 2, 2, 3))))


def themes_for(text, rng, themes):
    lowered = text.lower()
    chosen = [
        themes[name] for name, words in THEME_KEYWORDS.items() if any(w in lowered for w in words)
    ]
    rng.shuffle(chosen)
    return chosen[:3] or [rng.choice(list(themes.values()))]


def corpus_themes():
    """The vocabulary's themes: existing ones (the seed's) are reused, missing ones made."""
    themes = {}
    for name in THEME_KEYWORDS:
        theme = Theme.objects.filter(name__iexact=name).first()
        if theme is None:
            theme, _ = Theme.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "curated": True}
            )
        themes[name] = theme
    return themes


def organization_slug(number):
    return f"{SLUG_PREFIX}{number:05d}"


def organization_name(number):
    place = PLACES[number % len(PLACES)]
    agency, kind = AGENCIES[(number // len(PLACES)) % len(AGENCIES)]
    cycle = number // (len(PLACES) * len(AGENCIES))
    return f"{place} {agency}" + (f" {cycle + 1}" if cycle else ""), kind


@dataclass
class CorpusReport:
    organizations: int = 0
    documents: int = 0
    sections: int = 0
    statements: int = 0
    taggings: int = 0
    skipped: list = field(default_factory=list)
    deleted: int = 0


def plan_organization(number, statements_per_organization, seed, themes):
    """Everything one organization holds, as unsaved objects (no database access)."""
    rng = random.Random(f"{seed}-{number}")  # noqa: S311 - reproducible, not secret
    name, kind = organization_name(number)
    organization = Organization(
        name=name,
        slug=organization_slug(number),
        short_name=name.split(" ")[0],
        kind=kind,
        jurisdiction=f"{name.split(' ')[0]} County",
        summary=f"A synthetic organization generated for benchmarks (corpus number {number}).",
    )
    # Every tenth organization also keeps a retired earlier model, which search must skip.
    retired_count = min(5, statements_per_organization // 10) if number % 10 == 0 else 0
    models = [("", DocumentStatus.PUBLISHED, statements_per_organization - retired_count)]
    if retired_count:
        models.append(("2009", DocumentStatus.RETIRED, retired_count))
    documents = [
        (
            Document(
                slug="-".join(filter(None, ["practice-model", year])),
                title=f"{name} Practice Model" + (f" ({year})" if year else ""),
                kind=DocumentKind.PRACTICE_MODEL,
                status=status,
                position=position,
                source_citation="Synthetic corpus",
            ),
            count,
        )
        for position, (year, status, count) in enumerate(models, start=1)
    ]
    planned = []
    for document, count in documents:
        sections, statements = [], []
        for position in range(1, count + 1):
            if position <= 2:
                kind_ = StatementKind.MISSION if position == 1 else StatementKind.VISION
                section = None
                label = ""
            else:
                if (position - 3) % 8 == 0:
                    sections.append(
                        Section(position=len(sections) + 1, heading=rng.choice(HEADINGS))
                    )
                section = sections[-1]
                kind_ = rng.choices(
                    [
                        StatementKind.GUIDING_PRINCIPLE,
                        StatementKind.VALUE,
                        StatementKind.PRIORITY,
                        StatementKind.COMMITMENT,
                        StatementKind.ETHICAL_STANDARD,
                    ],
                    weights=[60, 15, 10, 10, 5],
                )[0]
                label = f"{(position - 3) % 8 + 1}."
            title = rng.choice(VALUE_TITLES) if kind_ == StatementKind.VALUE else ""
            statement = Statement(
                position=position, kind=kind_, label=label, title=title, text=statement_text(rng)
            )
            statements.append((statement, section, themes_for(statement.text, rng, themes)))
        planned.append((document, sections, statements))
    return organization, planned


def existing_numbers():
    slugs = Organization.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    return {int(slug[len(SLUG_PREFIX) :]) for slug in slugs if slug[len(SLUG_PREFIX) :].isdigit()}


def clear_corpus():
    """Delete every corpus organization and what it holds, with plain SQL deletes.

    The ORM's delete() would load every row and write a history record per row; the corpus
    has no history worth keeping. Statement deletes still fire the search index triggers.
    """
    organizations = Organization.objects.filter(slug__startswith=SLUG_PREFIX)
    count = organizations.count()
    documents = Document.objects.filter(organization__in=organizations)
    statements = Statement.objects.filter(document__in=documents)
    for queryset in (
        StatementEmbedding.objects.filter(statement__in=statements),
        TaggedStatement.objects.filter(content_object__in=statements),
        statements,
        Section.objects.filter(document__in=documents),
        documents,
        organizations,
    ):
        sql, params = queryset.values("pk").query.sql_with_params()
        table = queryset.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}" WHERE "id" IN ({sql})', params)  # noqa: S608
    return count


def generate(organizations, statements_per_organization, *, seed=1, clear=False, batch=50):
    """Create the corpus organizations that do not exist yet (all of them after --clear), in
    one transaction written as a bulk write: every page is invalidated once when it ends,
    rather than by the scope triggers of each row at COMMIT (minutes at 500,000 statements)."""
    report = CorpusReport()
    with versioning.bulk_write():
        if clear:
            report.deleted = clear_corpus()
        themes = corpus_themes()
        present = existing_numbers()
        numbers = [n for n in range(organizations) if n not in present]
        report.skipped = sorted(present & set(range(organizations)))
        for start in range(0, len(numbers), batch):
            plans = [
                plan_organization(n, statements_per_organization, seed, themes)
                for n in numbers[start : start + batch]
            ]
            _create(plans, report)
    return report


def _create(plans, report):
    organizations = Organization.objects.bulk_create([organization for organization, _ in plans])
    documents, sections, statements, taggings = [], [], [], []
    for organization, (_, planned) in zip(organizations, plans, strict=True):
        for document, _, _ in planned:
            document.organization = organization
            documents.append(document)
    Document.objects.bulk_create(documents)
    for _, planned in plans:
        for document, document_sections, _ in planned:
            for section in document_sections:
                section.document = document
                sections.append(section)
    Section.objects.bulk_create(sections, batch_size=2000)
    for _, planned in plans:
        for document, _, document_statements in planned:
            for statement, section, _ in document_statements:
                statement.document = document
                statement.section = section
                statements.append(statement)
    Statement.objects.bulk_create(statements, batch_size=2000)
    for _, planned in plans:
        for _, _, document_statements in planned:
            for statement, _, themes in document_statements:
                taggings += [TaggedStatement(content_object=statement, tag=t) for t in themes]
    TaggedStatement.objects.bulk_create(taggings, batch_size=5000)
    report.organizations += len(organizations)
    report.documents += len(documents)
    report.sections += len(sections)
    report.statements += len(statements)
    report.taggings += len(taggings)
